//! People cards (a photo beside name, title, organisation and biography),
//! the bilateral partner's photo with the meeting, and the at-a-glance
//! page that never takes more than one page, read back from the PDF.

use std::path::Path;

use crate::support::{briefing_in, images_drawn, page_texts, tool};

/// A4's height in points: PDF y grows upwards, the layout's downwards.
const PAGE_HEIGHT: f32 = 841.89;

/// A portrait PNG, 60 × 80 pixels, of a colour of its own.
fn portrait(index: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(60, 80, |x, y| {
        image::Rgb([index.wrapping_mul(40), (x * 4) as u8, (y * 3) as u8 ^ index])
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

/// A delegation of ten, each with a photo and a biography, two
/// counterparts (one with a biography and no photo), a bilateral meeting
/// with a photographed partner, and `extra` appended.
fn brief(extra: &str) -> String {
    let mut yaml = String::from(
        "title: Visit of Ten\nlanguage: en\nvisit:\n  start: 2026-03-02\n  end: 2026-03-03\nvenue:\n  city: Port Valmora\ndelegation:\n",
    );
    for i in 1..=10 {
        yaml.push_str(&format!(
            "  - name: Person{i} Surname\n    title: Adviser{i}\n    organization: Ministry{i}\n    bio: Biography{i} of a long career in the service.\n    photo: photos/p{i}.png\n"
        ));
    }
    yaml.push_str(
        "counterparts:\n  - name: Nophoto Counterpart\n    title: Minister\n    bio: Counterbio without a photo.\n  - name: Plain Counterpart\n",
    );
    yaml.push_str(
        "bilaterals:\n  - with:\n      name: Partner Kouris\n      title: Minister\n      bio: Partnerbio of the minister.\n      photo: photos/partner.png\n    date: 2026-03-02\n    start: \"15:00\"\n    objectives: [Agree the pilot.]\n",
    );
    yaml.push_str(extra);
    yaml
}

/// A folder with the brief as `visit.yaml` and its photos.
fn folder(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("photos")).unwrap();
    for i in 1..=10 {
        std::fs::write(dir.path().join(format!("photos/p{i}.png")), portrait(i)).unwrap();
    }
    std::fs::write(dir.path().join("photos/partner.png"), portrait(11)).unwrap();
    std::fs::write(dir.path().join("visit.yaml"), yaml).unwrap();
    dir
}

/// Renders `visit.yaml` in `dir` (with `args` added), checks the PDF with
/// qpdf, and returns its path.
fn render(dir: &Path, args: &[&str]) -> std::path::PathBuf {
    let mut all = vec!["render", "visit.yaml", "-o", "out"];
    all.extend_from_slice(args);
    let run = briefing_in(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = dir.join("out/visit.pdf");
    if let Some(mut qpdf) = tool("qpdf") {
        let check = qpdf.arg("--check").arg(&pdf).output().unwrap();
        assert!(check.status.success(), "qpdf --check fails");
    }
    pdf
}

/// An image drawn on a page: its box, from the page's top-left corner.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

/// The images each page draws, as boxes from the page's top-left corner.
fn images_by_page(pdf: &Path) -> Vec<Vec<Drawn>> {
    images_drawn(pdf)
        .into_iter()
        .map(|page| {
            page.into_iter()
                .map(|[x, y, w, h]| Drawn {
                    left: x,
                    right: x + w,
                    top: PAGE_HEIGHT - y - h,
                    bottom: PAGE_HEIGHT - y,
                })
                .collect()
        })
        .collect()
}

/// A word on a page as poppler reads it: its text and box.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    left: f32,
    top: f32,
}

/// The words of each page (`pdftotext -bbox`), if poppler is installed.
fn words_by_page(pdf: &Path) -> Option<Vec<Vec<Word>>> {
    let output = tool("pdftotext")?
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    let mut pages = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            pages.push(Vec::new());
        }
        let attribute = |name: &str| -> Option<f32> {
            line.split(&format!("{name}=\""))
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()
        };
        if line.starts_with("<word") {
            let text = line.split('>').nth(1).unwrap().split('<').next().unwrap();
            pages.last_mut().unwrap().push(Word {
                text: text.to_string(),
                left: attribute("xMin").unwrap(),
                top: attribute("yMin").unwrap(),
            });
        }
    }
    Some(pages)
}

fn find<'w>(words: &'w [Vec<Word>], text: &str) -> (usize, &'w Word) {
    words
        .iter()
        .enumerate()
        .find_map(|(page, words)| words.iter().find(|w| w.text == text).map(|w| (page, w)))
        .unwrap_or_else(|| panic!("`{text}` is on no page"))
}

/// The image on `page` whose box holds `word`'s line, to its left.
fn photo_beside(images: &[Vec<Drawn>], page: usize, word: &Word) -> Drawn {
    *images[page]
        .iter()
        .find(|image| word.top >= image.top - 1.0 && word.top <= image.bottom)
        .unwrap_or_else(|| panic!("no photo beside {word:?} on page {}", page + 1))
}

#[test]
fn ten_people_each_get_a_card_with_the_text_beside_the_photo() {
    let dir = folder(&brief(""));
    let pdf = render(dir.path(), &[]);
    let images = images_by_page(&pdf);
    // Ten photos of the delegation, one of the partner: eleven, each drawn
    // once.
    assert_eq!(images.iter().map(Vec::len).sum::<usize>(), 11);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    for i in 1..=10 {
        // The table of people has the name too: the card's is the one
        // beside a photo.
        let (page, bio) = find(&words, &format!("Biography{i}"));
        let photo = photo_beside(&images, page, bio);
        // The photo stands at the left margin (22 mm).
        assert!((photo.left - 22.0 * 72.0 / 25.4).abs() < 0.5, "{photo:?}");
        let beside = |text: String| {
            words[page]
                .iter()
                .find(|w| {
                    w.text == text
                        && w.left > photo.right
                        && w.top >= photo.top - 1.0
                        && w.top < photo.bottom
                })
                .unwrap_or_else(|| panic!("no `{text}` beside photo {i}"))
        };
        let title = beside(format!("Adviser{i}"));
        let organisation = beside(format!("Ministry{i}"));
        for word in [bio, title, organisation] {
            assert!(
                word.left > photo.right + 5.0 && word.left < photo.right + 30.0,
                "{word:?} is not beside {photo:?}"
            );
            assert!(
                word.top >= photo.top - 1.0 && word.top < photo.bottom,
                "{word:?}"
            );
        }
        // Name, title, organisation, biography: in that order, down.
        let name = beside(format!("Person{i}"));
        assert!(name.top < title.top && title.top < organisation.top && organisation.top < bio.top);
    }
    // The tables of people stay, as the overview.
    let texts = page_texts(&pdf);
    let delegation_page = texts
        .iter()
        .position(|t| t.contains("Delegation") && t.contains("Organisation"))
        .unwrap();
    assert!(texts[delegation_page].contains("Person1 Surname"));
}

#[test]
fn the_bilateral_partners_photo_stands_with_the_meeting() {
    let dir = folder(&brief(""));
    let pdf = render(dir.path(), &[]);
    let images = images_by_page(&pdf);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    let (page, bio) = find(&words, "Partnerbio");
    let photo = photo_beside(&images, page, bio);
    // The meeting's facts stand beside the partner's photo too.
    let with = words[page].iter().find(|w| w.text == "With:").unwrap();
    assert!(with.left > photo.right && with.top >= photo.top - 1.0);
    // Below the meeting's heading.
    let heading = words[page]
        .iter()
        .find(|w| w.text == "Kouris" && w.top < photo.top);
    assert!(heading.is_some(), "{:?}", words[page]);
}

/// A templates folder whose theme has `missing_photo: value`.
fn theme_with_missing_photo(dir: &Path, value: &str) {
    std::fs::create_dir(dir.join("t")).unwrap();
    let theme = include_str!("../../templates/theme.yaml").replace(
        "missing_photo: placeholder",
        &format!("missing_photo: {value}"),
    );
    assert!(theme.contains(&format!("missing_photo: {value}")));
    std::fs::write(dir.join("t/theme.yaml"), theme).unwrap();
}

#[test]
fn a_person_without_a_photo_gets_what_the_theme_says() {
    // The default: a placeholder, so that the card looks like the others.
    let dir = folder(&brief(""));
    let pdf = render(dir.path(), &[]);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    let (_, placeholder) = find(&words, "Counterbio");
    let (_, photographed) = find(&words, "Biography1");
    assert!((placeholder.left - photographed.left).abs() < 0.5);

    // `blank`: the same place, nothing drawn.
    let dir = folder(&brief(""));
    theme_with_missing_photo(dir.path(), "blank");
    let pdf = render(dir.path(), &["--templates", "t"]);
    let words = words_by_page(&pdf).unwrap();
    assert!((find(&words, "Counterbio").1.left - photographed.left).abs() < 0.5);

    // `none`: the text takes the whole width, from the margin.
    let dir = folder(&brief(""));
    theme_with_missing_photo(dir.path(), "none");
    let pdf = render(dir.path(), &["--templates", "t"]);
    let words = words_by_page(&pdf).unwrap();
    let left_margin = 22.0 * 72.0 / 25.4;
    assert!((find(&words, "Counterbio").1.left - left_margin).abs() < 1.0);
    // A person with neither photo nor biography has no card.
    assert_eq!(
        words.iter().flatten().filter(|w| w.text == "Plain").count(),
        1
    );
}

#[test]
fn a_misspelt_missing_photo_is_refused_naming_the_choices() {
    let dir = folder(&brief(""));
    theme_with_missing_photo(dir.path(), "silhouette");
    let run = briefing_in(dir.path(), &["check", "visit.yaml", "--templates", "t"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: the theme is not valid: missing_photo: unknown variant `silhouette`, \
             expected one of `placeholder`, `blank`, `none`\n  --> t/theme.yaml:33:16\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_at_a_glance_page_follows_the_cover() {
    let dir = folder(&brief(
        "objectives: [Agree the pilot.]\ntalking_points:\n  - topic: Water\n    points: [Shared data.]\nschedule:\n  - date: 2026-03-02\n    start: \"09:30\"\n    title: Opening session\n",
    ));
    let pdf = render(dir.path(), &[]);
    let texts = page_texts(&pdf);
    let glance = &texts[1];
    for text in [
        "At a glance",
        "Dates:",
        "2–3 March 2026",
        "Venue:",
        "Port Valmora",
        "Head of delegation:",
        "Person1 Surname, Adviser1",
        "Objectives",
        "Agree the pilot.",
        "Talking points",
        "Water",
        "Monday, 2 March 2026",
        "09:30 Opening session",
        // A meeting says it is one, as in the programme.
        "Bilateral meeting: Partner Kouris",
    ] {
        assert!(
            glance.contains(text),
            "`{text}` is not at a glance:\n{glance}"
        );
    }
    assert!(!glance.contains("see"), "{glance}");
    assert!(texts[2].contains("Contents"), "{}", texts[2]);
}

#[test]
fn an_at_a_glance_page_far_too_long_is_cut_to_one_page_with_a_pointer() {
    let mut extra = String::from("objectives:\n");
    for i in 1..=12 {
        extra.push_str(&format!("  - Objective number {i} of the visit.\n"));
    }
    extra.push_str("schedule:\n");
    for day in 2..=3 {
        for hour in 7..=21 {
            for minute in ["00", "30"] {
                extra.push_str(&format!(
                    "  - date: 2026-03-0{day}\n    start: \"{hour:02}:{minute}\"\n    title: Item{day}x{hour}x{minute}\n"
                ));
            }
        }
    }
    let dir = folder(&brief(&extra));
    let pdf = render(dir.path(), &[]);
    let texts = page_texts(&pdf);
    let glance = &texts[1];
    // Every objective fits; the programme is cut after some of Monday's
    // items, and the page says where the rest is, in the brief's language.
    assert!(
        glance.contains("Objective number 12 of the visit."),
        "{glance}"
    );
    assert!(glance.contains("Item2x7x00"), "{glance}");
    assert!(!glance.contains("Item3x21x30"), "{glance}");
    let programme_page = texts
        .iter()
        .skip(3)
        .position(|t| t.contains("Item2x7x00"))
        .unwrap()
        + 4;
    let pointer = format!("… see 2 Programme, page {programme_page}");
    assert!(glance.contains(&pointer), "no `{pointer}` in:\n{glance}");
    // The next page is the contents: the region took one page.
    assert!(texts[2].contains("Contents"), "{}", texts[2]);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    // Nothing below the text area: the page is full, not overfull.
    let bottom = PAGE_HEIGHT - 24.0 * 72.0 / 25.4;
    let lowest = words[1]
        .iter()
        .filter(|w| w.text.starts_with("Item") || w.text == "see")
        .map(|w| w.top)
        .fold(0.0, f32::max);
    assert!(lowest < bottom, "{lowest} below {bottom}");
}

#[test]
fn the_german_pointer_is_in_german() {
    let mut extra = String::from("language: de\nschedule:\n");
    for hour in 0..=23 {
        for minute in ["00", "20", "40"] {
            extra.push_str(&format!(
                "  - date: 2026-03-02\n    start: \"{hour:02}:{minute}\"\n    title: Punkt{hour}x{minute}\n"
            ));
        }
    }
    let yaml = brief(&extra).replace("language: en\n", "");
    let dir = folder(&yaml);
    let pdf = render(dir.path(), &[]);
    let texts = page_texts(&pdf);
    assert!(texts[1].contains("Auf einen Blick"), "{}", texts[1]);
    assert!(
        texts[1].contains("… siehe 1 Programm, Seite "),
        "{}",
        texts[1]
    );
    assert!(texts[2].contains("Inhalt"), "{}", texts[2]);
}

#[test]
fn a_user_drops_the_at_a_glance_page_by_leaving_out_its_partial() {
    let dir = folder(&brief(""));
    let export = briefing_in(dir.path(), &["templates", "export", "t"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let briefing = std::fs::read_to_string(dir.path().join("t/briefing.md.hbs")).unwrap();
    assert!(briefing.contains("{{> at_a_glance}}\n"));
    std::fs::write(
        dir.path().join("t/briefing.md.hbs"),
        briefing.replace("{{> at_a_glance}}\n", ""),
    )
    .unwrap();
    let pdf = render(dir.path(), &["--templates", "t"]);
    let texts = page_texts(&pdf);
    assert!(texts.iter().all(|t| !t.contains("At a glance")));
    assert!(texts[1].contains("Contents"), "{}", texts[1]);
}

#[test]
fn an_arabic_card_has_its_photo_on_the_right_and_its_text_on_the_left() {
    let yaml = "title: زيارة\nlanguage: ar\nvisit:\n  start: 2026-03-02\n  end: 2026-03-03\ncounterparts:\n  - name: ديمترا كوريس\n    title: وزيرة الخارجية\n    bio: وزيرة منذ 2023 وسفيرة سابقة.\n    photo: photos/p1.png\n";
    let dir = folder(yaml);
    let pdf = render(dir.path(), &[]);
    let images = images_by_page(&pdf);
    let (page, photo) = images
        .iter()
        .enumerate()
        .find_map(|(page, drawn)| drawn.first().map(|d| (page, *d)))
        .expect("the photo is drawn");
    let right_margin = 595.28 - 22.0 * 72.0 / 25.4;
    assert!((photo.right - right_margin).abs() < 0.5, "{photo:?}");
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    let year = words[page].iter().find(|w| w.text == "2023").unwrap();
    assert!(year.left < photo.left, "{year:?} {photo:?}");
    assert!(
        year.top >= photo.top - 1.0 && year.top < photo.bottom,
        "{year:?}"
    );
}

#[test]
fn cards_and_quotes_nested_a_hundred_thousand_deep_render_without_overflowing() {
    // Each level is a level of recursion in the typesetter: past 32 a card
    // is a comment and a quote part of the one around it.
    let mut yaml = String::from(
        "title: Deep\nvisit:\n  start: 2026-03-02\n  end: 2026-03-03\nbackground: |\n  ",
    );
    yaml.push_str(&">".repeat(100_000));
    yaml.push_str(" quoted\n\n");
    for _ in 0..20_000 {
        yaml.push_str("  <!-- card -->\n\n");
    }
    yaml.push_str("  Deepest text.\n");
    let dir = folder(&yaml);
    let pdf = render(dir.path(), &[]);
    let texts = page_texts(&pdf);
    assert!(texts.len() <= 5, "{} pages", texts.len());
    assert!(texts.concat().contains("quoted"));
}
