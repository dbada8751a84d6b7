//! Labels, dates and ranges in the brief's language, written as natives
//! write them: `27–29 May 2025`, `27.–29. Mai 2025`, `1er–3 mai 2025`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// The languages a brief may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    De,
    Fr,
    /// Arabic: the whole document runs right to left; dates as the Unicode
    /// CLDR writes them for `ar`, with Western digits; no hyphenation.
    Ar,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::De, Language::Fr, Language::Ar];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
            Language::Ar => "ar",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether the language is written from right to left.
    pub fn is_right_to_left(self) -> bool {
        self == Language::Ar
    }
}

/// Every label a template may use, with its English, German, French and
/// Arabic text.
/// A brief's `labels:` overrides any of them by key.
pub const LABELS: &[(&str, &str, &str, &str, &str)] = &[
    // key, en, de, fr, ar
    ("contents", "Contents", "Inhalt", "Sommaire", "المحتويات"),
    (
        "classification",
        "Classification",
        "Einstufung",
        "Classification",
        "درجة السرية",
    ),
    (
        "reference",
        "Reference",
        "Aktenzeichen",
        "Référence",
        "المرجع",
    ),
    (
        "issued",
        "Issued",
        "Stand",
        "Date d’émission",
        "تاريخ الإصدار",
    ),
    (
        "prepared_by",
        "Prepared by",
        "Erstellt von",
        "Préparé par",
        "إعداد",
    ),
    ("dates", "Dates", "Zeitraum", "Dates", "التواريخ"),
    (
        "timezone",
        "Time zone",
        "Zeitzone",
        "Fuseau horaire",
        "المنطقة الزمنية",
    ),
    (
        "local_times",
        "all times local",
        "alle Zeiten Ortszeit",
        "heures locales",
        "جميع الأوقات بالتوقيت المحلي",
    ),
    ("venue", "Venue", "Ort", "Lieu", "المكان"),
    ("event", "Event", "Veranstaltung", "Événement", "الحدث"),
    ("host", "Host", "Gastgeber", "Hôte", "الجهة المضيفة"),
    ("objectives", "Objectives", "Ziele", "Objectifs", "الأهداف"),
    (
        "talking_points",
        "Talking points",
        "Kernbotschaften",
        "Éléments de langage",
        "الرسائل الأساسية",
    ),
    (
        "programme",
        "Programme",
        "Programm",
        "Programme",
        "البرنامج",
    ),
    (
        "bilaterals",
        "Bilateral meetings",
        "Bilaterale Gespräche",
        "Entretiens bilatéraux",
        "اللقاءات الثنائية",
    ),
    (
        "delegation",
        "Delegation",
        "Delegation",
        "Délégation",
        "الوفد",
    ),
    (
        "counterparts",
        "Counterparts",
        "Gesprächspartner",
        "Interlocuteurs",
        "المحاورون",
    ),
    (
        "organizations",
        "Organisations",
        "Organisationen",
        "Organisations",
        "المنظمات",
    ),
    (
        "background",
        "Background",
        "Hintergrund",
        "Contexte",
        "خلفية",
    ),
    (
        "logistics",
        "Logistics",
        "Logistik",
        "Logistique",
        "الترتيبات اللوجستية",
    ),
    (
        "contacts",
        "Contacts",
        "Kontakte",
        "Contacts",
        "جهات الاتصال",
    ),
    ("name", "Name", "Name", "Nom", "الاسم"),
    ("title", "Title", "Funktion", "Fonction", "الصفة"),
    (
        "organization",
        "Organisation",
        "Organisation",
        "Organisation",
        "الجهة",
    ),
    ("country", "Country", "Land", "Pays", "البلد"),
    ("role", "Role", "Rolle", "Rôle", "الدور"),
    ("acronym", "Acronym", "Abkürzung", "Sigle", "الاختصار"),
    (
        "biography",
        "Biography",
        "Lebenslauf",
        "Biographie",
        "السيرة الذاتية",
    ),
    ("date", "Date", "Datum", "Date", "التاريخ"),
    ("time", "Time", "Uhrzeit", "Heure", "الوقت"),
    ("location", "Location", "Ort", "Lieu", "المكان"),
    (
        "attendees",
        "Attendees",
        "Teilnehmende",
        "Participants",
        "المشاركون",
    ),
    ("notes", "Notes", "Hinweise", "Remarques", "ملاحظات"),
    ("with", "With", "Mit", "Avec", "مع"),
    // A bilateral meeting as a row of the programme: `Bilateral meeting: X`.
    (
        "bilateral",
        "Bilateral meeting",
        "Bilaterales Gespräch",
        "Entretien bilatéral",
        "لقاء ثنائي",
    ),
    (
        "our_objectives",
        "Our objectives",
        "Unsere Ziele",
        "Nos objectifs",
        "أهدافنا",
    ),
    (
        "their_objectives",
        "Their objectives",
        "Ziele der Gegenseite",
        "Objectifs de l’interlocuteur",
        "أهداف الطرف الآخر",
    ),
    (
        "points_to_make",
        "Points to make",
        "Gesprächspunkte",
        "Points à faire valoir",
        "نقاط للطرح",
    ),
    (
        "if_raised",
        "If raised",
        "Falls angesprochen",
        "Si le sujet est abordé",
        "في حال إثارة الموضوع",
    ),
    (
        "press_line",
        "Press line",
        "Sprachregelung",
        "Éléments pour la presse",
        "عناصر للصحافة",
    ),
    ("phone", "Phone", "Telefon", "Téléphone", "الهاتف"),
    ("email", "E-mail", "E-Mail", "Courriel", "البريد الإلكتروني"),
    (
        "page_of",
        "Page {page} of {pages}",
        "Seite {page} von {pages}",
        "Page {page} sur {pages}",
        "الصفحة {page} من {pages}",
    ),
    (
        "pack_page_of",
        "Pack page {page} of {pages}",
        "Mappe Seite {page} von {pages}",
        "Dossier page {page} sur {pages}",
        "الملف، الصفحة {page} من {pages}",
    ),
    (
        "pack",
        "Briefing pack",
        "Unterlagenmappe",
        "Dossier de visites",
        "ملف الإحاطة",
    ),
    ("visit", "Visit", "Besuch", "Visite", "زيارة"),
    ("page", "Page", "Seite", "Page", "الصفحة"),
    ("file", "File", "Datei", "Fichier", "الملف"),
    (
        "at_a_glance",
        "At a glance",
        "Auf einen Blick",
        "L’essentiel",
        "لمحة سريعة",
    ),
    (
        "head_of_delegation",
        "Head of delegation",
        "Delegationsleitung",
        "Chef de délégation",
        "رئيس الوفد",
    ),
    // What stands where the at-a-glance page is cut: `{section}` is the
    // section with its number, `{page}` its page.
    (
        "see_section",
        "… see {section}, page {page}",
        "… siehe {section}, Seite {page}",
        "… voir {section}, page {page}",
        "… انظر {section}، الصفحة {page}",
    ),
    // What stands between the items of a list in running text (a name and
    // a title, the attendees): Arabic has its own comma.
    ("separator", ", ", ", ", ", ", "، "),
    // The watermark across every page of a draft.
    ("draft", "DRAFT", "ENTWURF", "PROJET", "مسودة"),
];

/// The label keys, for suggestions and documentation.
pub fn label_keys() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|(key, ..)| *key)
}

/// The labels of a language, with a brief's overrides applied.
pub fn labels(
    language: Language,
    overrides: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    LABELS
        .iter()
        .map(|&(key, en, de, fr, ar)| {
            let text = overrides.get(key).cloned().unwrap_or_else(|| {
                match language {
                    Language::En => en,
                    Language::De => de,
                    Language::Fr => fr,
                    Language::Ar => ar,
                }
                .to_string()
            });
            (key.to_string(), text)
        })
        .collect()
}

const MONTHS: [[&str; 12]; 4] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    // CLDR `ar` (the months of the Gregorian calendar as Egypt and the
    // Gulf name them; the Maghreb's own names are CLDR's `ar-MA`).
    [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
];

const WEEKDAYS: [[&str; 7]; 4] = [
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
    ],
    [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ],
    [
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
    ],
];

fn index(language: Language) -> usize {
    match language {
        Language::En => 0,
        Language::De => 1,
        Language::Fr => 2,
        Language::Ar => 3,
    }
}

fn month(language: Language, date: NaiveDate) -> &'static str {
    MONTHS[index(language)][date.month0() as usize]
}

fn weekday(language: Language, day: Weekday) -> &'static str {
    WEEKDAYS[index(language)][day.num_days_from_monday() as usize]
}

/// The day of the month as it stands before the month: `27`, `27.`, `1er`.
fn day(language: Language, date: NaiveDate) -> String {
    match (language, date.day()) {
        (Language::De, d) => format!("{d}."),
        (Language::Fr, 1) => "1er".to_string(),
        (_, d) => d.to_string(),
    }
}

/// `27 May 2025`, `27. Mai 2025`, `27 mai 2025`.
pub fn date(language: Language, date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        day(language, date),
        month(language, date),
        date.year()
    )
}

/// `Wednesday, 28 May 2025`, `Mittwoch, 28. Mai 2025`, `Mercredi 28 mai 2025`.
/// French capitalises the weekday here because this form heads a day.
pub fn weekday_date(language: Language, d: NaiveDate) -> String {
    let name = weekday(language, d.weekday());
    match language {
        Language::Fr => {
            let mut chars = name.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            format!(
                "{}{} {}",
                first.unwrap_or_default(),
                chars.as_str(),
                date(language, d)
            )
        }
        // CLDR `ar`: `EEEE، d MMMM y`, with the Arabic comma.
        Language::Ar => format!("{name}، {}", date(language, d)),
        _ => format!("{name}, {}", date(language, d)),
    }
}

/// A span of days, sharing what the two ends share:
/// `27–29 May 2025`, `30 May – 2 June 2025`, `30 December 2025 – 2 January 2026`.
pub fn date_range(language: Language, start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        return date(language, start);
    }
    if start.year() != end.year() {
        return format!("{} – {}", date(language, start), date(language, end));
    }
    if start.month() != end.month() {
        return format!(
            "{} {} – {}",
            day(language, start),
            month(language, start),
            date(language, end)
        );
    }
    format!("{}–{}", day(language, start), date(language, end))
}

/// A whole number as the language groups its thousands: `1,925`, `1.925`,
/// `1 925` (French, with a narrow no-break space, which never breaks a line).
pub fn number(language: Language, n: usize) -> String {
    let separator = match language {
        Language::En => ",",
        Language::De => ".",
        Language::Fr => "\u{202F}",
        // CLDR `ar` with Western (`latn`) digits.
        Language::Ar => ",",
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// How many briefs a pack holds: `1 brief`, `3 Besuchsunterlagen`,
/// `2 notes de visite`. French counts 0 and 1 in the singular, English and
/// German only 1.
pub fn brief_count(language: Language, n: usize) -> String {
    if language == Language::Ar {
        return arabic_brief_count(n);
    }
    let (one, many) = match language {
        Language::En => ("brief", "briefs"),
        Language::De => ("Besuchsunterlage", "Besuchsunterlagen"),
        Language::Fr => ("note de visite", "notes de visite"),
        Language::Ar => unreachable!("counted by arabic_brief_count"),
    };
    let singular = match language {
        Language::Fr => n <= 1,
        Language::En | Language::De | Language::Ar => n == 1,
    };
    format!(
        "{}\u{a0}{}",
        number(language, n),
        if singular { one } else { many }
    )
}

/// The sentence on a pack's cover that says how many briefs it holds:
/// "This pack holds 3 briefs."
pub fn pack_holds(language: Language, n: usize) -> String {
    let count = brief_count(language, n);
    match language {
        Language::En => format!("This pack holds {count}."),
        Language::De => format!("Diese Mappe enthält {count}."),
        Language::Fr => format!("Ce dossier contient {count}."),
        Language::Ar => format!("يضم هذا الملف {count}."),
    }
}

/// Arabic counts in six forms (CLDR's plural rules for `ar`): one and two
/// are said without the number ("one note", "two notes"), 3–10 take the
/// plural, 11–99 the singular accusative, the rest the singular.
fn arabic_brief_count(n: usize) -> String {
    let number = number(Language::Ar, n);
    match n % 100 {
        _ if n == 1 => "مذكرة إحاطة واحدة".to_string(),
        _ if n == 2 => "مذكرتا إحاطة".to_string(),
        3..=10 => format!("{number}\u{a0}مذكرات إحاطة"),
        11..=99 => format!("{number}\u{a0}مذكرة إحاطة"),
        _ => format!("{number}\u{a0}مذكرة إحاطة"),
    }
}

/// `09:30–10:30`, or the one time given.
pub fn time_range(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{s}–{e}"),
        (Some(s), None) => s.to_string(),
        (None, Some(e)) => format!("–{e}"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ranges_within_a_month() {
        let (a, b) = (d(2025, 5, 27), d(2025, 5, 29));
        assert_eq!(date_range(Language::En, a, b), "27–29 May 2025");
        assert_eq!(date_range(Language::De, a, b), "27.–29. Mai 2025");
        assert_eq!(date_range(Language::Fr, a, b), "27–29 mai 2025");
    }

    #[test]
    fn ranges_across_months_and_years() {
        let (a, b) = (d(2025, 5, 30), d(2025, 6, 2));
        assert_eq!(date_range(Language::En, a, b), "30 May – 2 June 2025");
        assert_eq!(date_range(Language::De, a, b), "30. Mai – 2. Juni 2025");
        assert_eq!(date_range(Language::Fr, a, b), "30 mai – 2 juin 2025");
        let (a, b) = (d(2025, 12, 30), d(2026, 1, 2));
        assert_eq!(
            date_range(Language::De, a, b),
            "30. Dezember 2025 – 2. Januar 2026"
        );
    }

    #[test]
    fn single_days_and_weekdays() {
        let day = d(2025, 5, 28);
        assert_eq!(date_range(Language::En, day, day), "28 May 2025");
        assert_eq!(weekday_date(Language::De, day), "Mittwoch, 28. Mai 2025");
        assert_eq!(weekday_date(Language::En, day), "Wednesday, 28 May 2025");
        assert_eq!(weekday_date(Language::Fr, day), "Mercredi 28 mai 2025");
        assert_eq!(date(Language::Fr, d(2025, 5, 1)), "1er mai 2025");
    }

    #[test]
    fn briefs_are_counted_in_the_singular_and_plural_of_each_language() {
        assert_eq!(brief_count(Language::En, 1), "1\u{a0}brief");
        assert_eq!(brief_count(Language::En, 3), "3\u{a0}briefs");
        assert_eq!(brief_count(Language::De, 1), "1\u{a0}Besuchsunterlage");
        assert_eq!(brief_count(Language::De, 2), "2\u{a0}Besuchsunterlagen");
        assert_eq!(pack_holds(Language::En, 1), "This pack holds 1\u{a0}brief.");
        assert_eq!(
            pack_holds(Language::De, 3),
            "Diese Mappe enthält 3\u{a0}Besuchsunterlagen."
        );
        assert_eq!(
            pack_holds(Language::Fr, 1),
            "Ce dossier contient 1\u{a0}note de visite."
        );
        assert_eq!(brief_count(Language::Fr, 1), "1\u{a0}note de visite");
        assert_eq!(brief_count(Language::Fr, 0), "0\u{a0}note de visite");
        assert_eq!(brief_count(Language::Fr, 12), "12\u{a0}notes de visite");
    }

    #[test]
    fn arabic_dates_and_counts_follow_cldr() {
        let (a, b) = (d(2025, 5, 27), d(2025, 5, 29));
        assert_eq!(date_range(Language::Ar, a, b), "27–29 مايو 2025");
        assert_eq!(
            date_range(Language::Ar, d(2025, 5, 30), d(2025, 6, 2)),
            "30 مايو – 2 يونيو 2025"
        );
        assert_eq!(
            weekday_date(Language::Ar, d(2025, 5, 28)),
            "الأربعاء، 28 مايو 2025"
        );
        assert_eq!(brief_count(Language::Ar, 1), "مذكرة إحاطة واحدة");
        assert_eq!(brief_count(Language::Ar, 2), "مذكرتا إحاطة");
        assert_eq!(brief_count(Language::Ar, 5), "5\u{a0}مذكرات إحاطة");
        assert_eq!(brief_count(Language::Ar, 12), "12\u{a0}مذكرة إحاطة");
        assert_eq!(brief_count(Language::Ar, 1925), "1,925\u{a0}مذكرة إحاطة");
        assert_eq!(
            labels(Language::Ar, &BTreeMap::new())["programme"],
            "البرنامج"
        );
    }

    #[test]
    fn thousands_are_grouped_as_each_language_does() {
        assert_eq!(number(Language::En, 999), "999");
        assert_eq!(number(Language::En, 1925), "1,925");
        assert_eq!(number(Language::De, 1_234_567), "1.234.567");
        assert_eq!(number(Language::Fr, 2000), "2\u{202F}000");
        assert_eq!(number(Language::Fr, 0), "0");
    }

    #[test]
    fn overrides_replace_one_label() {
        let mut overrides = BTreeMap::new();
        overrides.insert("delegation".to_string(), "Our team".to_string());
        let labels = labels(Language::De, &overrides);
        assert_eq!(labels["delegation"], "Our team");
        assert_eq!(labels["programme"], "Programm");
    }

    #[test]
    fn every_label_key_is_unique() {
        let mut keys: Vec<_> = label_keys().collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), LABELS.len());
    }
}
