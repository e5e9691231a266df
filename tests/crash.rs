//! Killed mid-work: the `quipu` binary is stopped with SIGKILL during a large
//! import and during a burst of edits, at several moments. Each time the file
//! passes SQLite's integrity check and every change is either wholly there or
//! wholly absent.
#![cfg(unix)]

mod util;

use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use util::{arg, quipu_ok};

/// Kills `child` and every process it started.
fn kill_all(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
}

/// Starts `sh -c script` in a process group of its own.
fn start(script: &str, args: &[&str]) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .args(args)
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// SQLite's own check of the file, and a count.
fn check(project: &Path, count_sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(project).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
    assert_eq!(integrity, "ok", "{}", project.display());
    conn.query_row(count_sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn a_large_import_killed_at_any_moment_is_wholly_there_or_wholly_absent() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("grande.csv");
    let mut rows = String::from("case,source,speaker,original,translation,codes\n");
    for n in 0..20_000 {
        rows.push_str(&format!(
            "Caso {},Entrevista {},Hablante {n},La policía llegó de madrugada {n}.,The police came at dawn {n}.,Trust;Police use\n",
            n % 7,
            n % 50
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    let quipu = env!("CARGO_BIN_EXE_quipu");
    let mut seen = std::collections::BTreeSet::new();
    for (round, wait) in [5u64, 40, 120, 300, 700, 1500].into_iter().enumerate() {
        let project = dir.path().join(format!("p{round}.quipu"));
        quipu_ok(&["new", arg(&project)]);
        let mut child = start("exec \"$0\" import csv \"$1\" \"$2\" --coder Ana", &[quipu, arg(&project), arg(&csv)]);
        std::thread::sleep(Duration::from_millis(wait));
        kill_all(&mut child);
        let excerpts = check(&project, "SELECT count(*) FROM excerpts");
        assert!(excerpts == 0 || excerpts == 20_000, "killed after {wait} ms: {excerpts} excerpts, half an import");
        let codings = check(&project, "SELECT count(*) FROM codings");
        assert_eq!(codings, excerpts * 2, "killed after {wait} ms");
        seen.insert(excerpts);
        // The project still opens and takes the import again.
        quipu_ok(&["import", "csv", arg(&project), arg(&csv), "--coder", "Ana", "--dry-run"]);
    }
    eprintln!("excerpt counts seen after the kills: {seen:?}");
}

#[test]
fn a_burst_of_edits_killed_at_any_moment_loses_no_edit_by_halves() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("rafaga.quipu");
    quipu_ok(&["demo", arg(&project)]);
    // Each edit codes fifty excerpts at once, as one coder.
    let codings = dir.path().join("codings.csv");
    let mut rows = String::from("excerpt,code\n");
    for n in 1..=50 {
        rows.push_str(&format!("E{n:03},Employment\n"));
    }
    std::fs::write(&codings, rows).unwrap();
    let quipu = env!("CARGO_BIN_EXE_quipu");
    let script = "i=0; while [ $i -lt 200 ]; do \"$0\" import codings \"$1\" \"$2\" --coder \"burst$i\" || exit 1; i=$((i+1)); done";
    let before = check(&project, "SELECT count(*) FROM codings");
    for wait in [30u64, 90, 200, 450] {
        let mut child = start(script, &[quipu, arg(&project), arg(&codings)]);
        std::thread::sleep(Duration::from_millis(wait));
        kill_all(&mut child);
        let conn = rusqlite::Connection::open(&project).unwrap();
        let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).unwrap();
        assert_eq!(integrity, "ok");
        let mut per_coder = conn
            .prepare(
                "SELECT c.name, count(*) FROM codings k JOIN coders c USING (coder_id)
                 WHERE c.name LIKE 'burst%' GROUP BY c.name",
            )
            .unwrap();
        let counts: Vec<(String, i64)> =
            per_coder.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect();
        for (coder, count) in &counts {
            assert_eq!(*count, 50, "killed after {wait} ms: {coder} has {count} of an edit's 50 codings");
        }
        drop(per_coder);
        let total: i64 = conn.query_row("SELECT count(*) FROM codings", [], |row| row.get(0)).unwrap();
        assert_eq!(total, before + 50 * counts.len() as i64);
    }
}
