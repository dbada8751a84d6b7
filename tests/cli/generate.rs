//! Generated briefs of any size, for tests of long documents and for the
//! benchmarks (`examples/generate_brief.rs`).

use std::fmt::Write;

/// A German brief with `members` delegation members, `items` programme
/// items spread over five days and `meetings` bilateral meetings.
pub fn large_brief(members: usize, items: usize, meetings: usize) -> String {
    let mut y = String::from(
        "title: Arbeitsbesuch in Genf\nsubtitle: Generierte Unterlage\nlanguage: de\nclassification: VS – NUR FÜR DEN DIENSTGEBRAUCH\nreference: GEN-2026-001\nvisit:\n  start: 2026-03-02\n  end: 2026-03-06\n  timezone: Europe/Zurich\nvenue:\n  city: Genf\n  country: Schweiz\n",
    );
    y.push_str("delegation:\n");
    for m in 0..members {
        let _ = writeln!(
            y,
            "  - name: Mitglied {m:04}\n    title: Referent für Sicherheitszusammenarbeit {m}\n    organization: Bundesministerium des Innern\n    role: Delegation"
        );
    }
    y.push_str("schedule:\n");
    for i in 0..items {
        let day = 2 + i % 5;
        let minutes = 8 * 60 + (i / 5) % 600;
        let (h, m) = (minutes / 60, minutes % 60);
        let _ = writeln!(
            y,
            "  - date: 2026-03-{day:02}\n    start: \"{h:02}:{m:02}\"\n    title: Programmpunkt {i} zur grenzüberschreitenden Zusammenarbeit\n    location: Palais des Nations, Saal {}\n    attendees: [Mitglied {:04}]\n    notes: Gespräch über Informationsaustausch und Territorialüberwachung.",
            i % 20,
            i % members.max(1)
        );
    }
    y.push_str("bilaterals:\n");
    for b in 0..meetings {
        let day = 2 + b % 5;
        let _ = writeln!(
            y,
            "  - with:\n      name: Gesprächspartner {b}\n      organization: Ministerium {b}\n    date: 2026-03-{day:02}\n    attendees: [Mitglied {:04}]\n    objectives:\n      - Die Sicherheitszusammenarbeit vertiefen.\n      - Den Informationsaustausch beschleunigen.\n    talking_points:\n      - topic: Zusammenarbeit\n        points:\n          - Gemeinsame Infrastruktur zur Bewältigung strategischer Bedrohungen.\n    press_line: Die Seiten erörterten die Zusammenarbeit.",
            b % members.max(1)
        );
    }
    y
}
