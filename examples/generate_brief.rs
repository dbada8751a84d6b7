//! Writes a generated brief to stdout, for the benchmarks:
//! `cargo run --release --example generate_brief -- MEMBERS ITEMS MEETINGS`.

#[path = "../tests/cli/generate.rs"]
mod generate;

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("three whole numbers: members items meetings")
        })
        .collect();
    let [members, items, meetings] = numbers[..] else {
        eprintln!("usage: generate_brief MEMBERS ITEMS MEETINGS");
        std::process::exit(2);
    };
    print!("{}", generate::large_brief(members, items, meetings));
}
