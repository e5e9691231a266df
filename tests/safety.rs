//! Keeping testimony safe: deleted testimony is gone from the file's bytes once
//! the project is closed; an informant who withdraws is removed everywhere at
//! once, after saying what goes; nothing in the program talks to the network.

mod util;

use std::path::Path;

use quipu::store::Store;
use util::{arg, dump, quipu_err, quipu_ok};

/// True when `needle` occurs in the file's bytes or in its write-ahead log's.
fn in_file(path: &Path, needle: &str) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    [path.to_path_buf(), std::path::PathBuf::from(wal)]
        .iter()
        .filter_map(|file| std::fs::read(file).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|window| window == needle.as_bytes()))
}

/// Words of the search index (folded as it folds them) with the number of
/// excerpts holding each.
fn indexed_words(path: &Path) -> std::collections::HashMap<String, i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, excerpt_search, 'row')").unwrap();
    let mut statement = conn.prepare("SELECT term, doc FROM temp.words").unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_withdrawn_informant_is_removed_everywhere_and_nothing_of_them_stays_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("campo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let speaker = "Teófilo Ccahuana Huillca";
    let (sentence, own_words) = {
        let store = Store::open(&project).unwrap();
        let all = store.filtered_excerpts(&quipu::store::Filter::default()).unwrap();
        let source_of = |excerpt: &quipu::model::Excerpt| store.source(excerpt.source_id).unwrap();
        let (his, others): (Vec<_>, Vec<_>) = all.iter().partition(|excerpt| source_of(excerpt).speaker == speaker);
        assert!(!his.is_empty());
        let words = |excerpts: &[&quipu::model::Excerpt]| -> std::collections::BTreeSet<String> {
            excerpts
                .iter()
                .flat_map(|excerpt| [excerpt.original.clone(), excerpt.translation.clone()])
                .flatten()
                .flat_map(|text| {
                    text.split(|c: char| !c.is_alphanumeric()).map(quipu::text::fold_name).collect::<Vec<_>>()
                })
                .filter(|word| word.chars().count() >= 6)
                .collect()
        };
        let own: Vec<String> = words(&his).difference(&words(&others)).cloned().collect();
        assert!(own.len() > 5, "words only he spoke: {own:?}");
        (his[0].original.clone().unwrap(), own)
    };
    assert!(in_file(&project, speaker) && in_file(&project, &sentence));
    let before_words = indexed_words(&project);
    assert!(own_words.iter().any(|word| before_words.contains_key(word)), "the index held his words");

    // Without a terminal and without --yes, nothing goes.
    let before = dump(&project);
    let stderr = quipu_err(&["delete", "speaker", arg(&project), speaker]);
    assert!(
        stderr.contains("takes 1 source, 5 excerpts, 14 codings and 2 memos away for good; nothing was removed"),
        "{stderr}"
    );
    assert_eq!(dump(&project), before);

    let removed = quipu_ok(&["delete", "speaker", arg(&project), speaker, "--yes"]);
    assert!(removed.contains("Removed the testimony of Teófilo Ccahuana Huillca: 1 source, 5 excerpts"), "{removed}");
    // The project is closed: neither his name nor his words are in its bytes.
    assert!(!in_file(&project, speaker), "his name is still in the file");
    assert!(!in_file(&project, &sentence), "his words are still in the file");
    let after_words = indexed_words(&project);
    let lingering: Vec<&String> = own_words.iter().filter(|word| after_words.contains_key(*word)).collect();
    assert!(lingering.is_empty(), "the search index still holds {lingering:?}");
    let store = Store::open(&project).unwrap();
    assert_eq!(store.excerpt_count().unwrap(), 55);
    assert!(store.speakers().unwrap().iter().all(|name| name != speaker));
}

#[test]
fn one_excerpt_source_or_case_is_removed_by_name_and_a_wrong_name_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("campo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let removed = quipu_ok(&["delete", "excerpt", arg(&project), "E010", "--yes"]);
    assert!(removed.contains("Removed excerpt E010: 0 sources, 1 excerpt"), "{removed}");
    let removed = quipu_ok(&["delete", "case", arg(&project), "Tambohuasi", "--yes"]);
    assert!(removed.contains("Removed case Tambohuasi: 3 sources, 15 excerpts"), "{removed}");
    let before = dump(&project);
    for (what, name, expected) in [
        ("speaker", "Nadie Conocido", "no speaker 'Nadie Conocido'"),
        ("excerpt", "E999", "no excerpt 'E999'"),
        ("case", "Tambohuasi", "no case 'Tambohuasi'"),
        ("source", "Inexistente", "no source 'Inexistente'"),
    ] {
        let stderr = quipu_err(&["delete", what, arg(&project), name, "--yes"]);
        assert!(stderr.contains(expected), "{what} {name}: {stderr}");
        assert_eq!(dump(&project), before);
    }
}

#[test]
fn deleted_text_is_overwritten_in_the_file_once_the_project_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("borrado.quipu");
    let secret = "El comisario cobró diez mil soles a la empresa";
    {
        let mut store = Store::create(&project).unwrap();
        let case = store.add_case("Caso", "").unwrap();
        let draft = quipu::model::SourceDraft { name: "Fuente".into(), ..Default::default() };
        let source = store.add_source(case, &draft).unwrap();
        for n in 0..50 {
            let text = format!("Testimonio número {n} sin nada que ocultar.");
            store
                .add_excerpt(source, &quipu::model::ExcerptDraft { original: Some(text), ..Default::default() })
                .unwrap();
        }
        let excerpt = store
            .add_excerpt(source, &quipu::model::ExcerptDraft { original: Some(secret.into()), ..Default::default() })
            .unwrap();
        store.set_memo(quipu::model::MemoTarget::Excerpt(excerpt), "memo: el comisario Quispe").unwrap();
        drop(store);
        assert!(in_file(&project, secret));
        let mut store = Store::open(&project).unwrap();
        store.delete_excerpt(excerpt).unwrap();
    }
    assert!(!in_file(&project, secret), "the deleted sentence is still in the file's bytes");
    assert!(!in_file(&project, "el comisario Quispe"), "its memo is still in the file's bytes");
    assert!(!indexed_words(&project).contains_key("comisario"), "the search index still holds its words");
}

/// Crates that speak HTTP or open network sockets.
const NETWORK_CRATES: [&str; 16] = [
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "isahc",
    "surf",
    "attohttpc",
    "h2",
    "rustls",
    "native-tls",
    "openssl",
    "tokio",
    "async-std",
    "socket2",
    "tungstenite",
    "quinn",
];

#[test]
fn nothing_in_the_dependency_tree_talks_to_the_network() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(["tree", "--prefix", "none", "--edges", "normal", "--all-features", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: std::collections::BTreeSet<&str> =
        tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    assert!(crates.contains("rusqlite") && crates.len() > 50, "the tree was read: {crates:?}");
    let found: Vec<&&str> = NETWORK_CRATES.iter().filter(|name| crates.contains(**name)).collect();
    assert!(found.is_empty(), "network crates in the dependency tree: {found:?}");
}

#[test]
fn the_commands_open_no_network_socket() {
    let strace = std::process::Command::new("strace").arg("-V").output();
    if !strace.is_ok_and(|output| output.status.success()) {
        eprintln!("strace is not installed: the system calls of a run were not traced");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("red.quipu");
    let trace = dir.path().join("trace");
    let quipu = env!("CARGO_BIN_EXE_quipu");
    let script = format!(
        "{q} demo {p} && {q} freq {p} && {q} search {p} agua && {q} export quotes {p} {d}/q.docx && \
         {q} export refi {p} {d}/p.qdpx && {q} import refi {p} {d}/p.qdpx",
        q = quipu,
        p = project.display(),
        d = dir.path().display()
    );
    let status = std::process::Command::new("strace")
        .args(["-f", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .args(["sh", "-c", &script])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let calls = std::fs::read_to_string(&trace).unwrap();
    let network: Vec<&str> =
        calls.lines().filter(|line| line.contains("AF_INET") || line.contains("AF_INET6")).collect();
    assert!(network.is_empty(), "network sockets opened: {network:?}");
}

/// Runs `quipu` with the passphrases given in the environment (as scripts do).
fn quipu_keyed(args: &[&str], passphrase: Option<&str>, new: Option<&str>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_quipu"));
    command.args(args).env_remove("QUIPU_PASSPHRASE").env_remove("QUIPU_NEW_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("QUIPU_PASSPHRASE", passphrase);
    }
    if let Some(new) = new {
        command.env("QUIPU_NEW_PASSPHRASE", new);
    }
    command.stdin(std::process::Stdio::null()).output().unwrap()
}

fn ok(output: std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn refused(output: std::process::Output) -> String {
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_encrypted_project_is_unreadable_without_its_passphrase_and_works_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("cifrado.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let sentence = "Antes de la mina, el puquio de Ichupata nunca se secaba";
    assert!(in_file(&project, sentence));
    let freq_before = quipu_ok(&["freq", arg(&project)]);
    let passphrase = "puquio de Ichupata 2019";

    let said = ok(quipu_keyed(&["encrypt", arg(&project)], None, Some(passphrase)));
    assert!(said.contains("Encrypted") && said.contains("Keep the passphrase safe"), "{said}");
    assert!(!in_file(&project, sentence), "the texts are no longer readable in the file");
    assert!(!in_file(&project, "SQLite format 3"), "not even the file's kind shows");

    // Without the passphrase, a wrong one, and a file that is not a project: each says so.
    let stderr = refused(quipu_keyed(&["freq", arg(&project)], None, None));
    assert!(stderr.contains("cifrado.quipu: the project is encrypted; run on a terminal"), "{stderr}");
    let stderr = refused(quipu_keyed(&["freq", arg(&project)], Some("no es esta"), None));
    assert!(stderr.contains("cifrado.quipu: the passphrase is wrong"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "said once, without the cipher's own log: {stderr}");
    let notes = dir.path().join("notas.quipu");
    std::fs::write(&notes, "apuntes de campo, no un proyecto").unwrap();
    let stderr = refused(quipu_keyed(&["freq", arg(&notes)], None, None));
    assert!(stderr.contains("notas.quipu: not a Quipu project"), "{stderr}");

    // With it, every command works as before: counts, search, an edit, a copy.
    assert_eq!(ok(quipu_keyed(&["freq", arg(&project)], Some(passphrase), None)), freq_before);
    let found = ok(quipu_keyed(&["search", arg(&project), "puquio"], Some(passphrase), None));
    assert!(found.contains("1 excerpts match \"puquio\""), "{found}");
    let codings = dir.path().join("codings.csv");
    std::fs::write(&codings, "excerpt,code\nE001,Employment\n").unwrap();
    ok(quipu_keyed(&["import", "codings", arg(&project), arg(&codings), "--coder", "Luis"], Some(passphrase), None));
    let copy = dir.path().join("copia.quipu");
    ok(quipu_keyed(&["copy", arg(&project), arg(&copy), "--without-codings"], Some(passphrase), None));
    assert!(!in_file(&copy, sentence), "a copy of an encrypted project is encrypted");
    ok(quipu_keyed(&["codes", arg(&copy)], Some(passphrase), None));

    // A new passphrase replaces the old; decrypting gives the plain file back.
    let newer = "otra frase más larga";
    ok(quipu_keyed(&["passphrase", arg(&project)], Some(passphrase), Some(newer)));
    refused(quipu_keyed(&["codes", arg(&project)], Some(passphrase), None));
    ok(quipu_keyed(&["decrypt", arg(&project)], Some(newer), None));
    assert!(in_file(&project, sentence));
    let after = quipu_ok(&["freq", arg(&project)]);
    assert!(after.contains("Employment"), "the edit made while encrypted is there: {after}");

    // A project can be made encrypted from the start.
    let fresh = dir.path().join("nuevo.quipu");
    ok(quipu_keyed(&["new", arg(&fresh), "--encrypt"], Some("frase de campo larga"), None));
    assert!(!in_file(&fresh, "SQLite format 3"));
    ok(quipu_keyed(&["codes", arg(&fresh)], Some("frase de campo larga"), None));
    let stderr = refused(quipu_keyed(&["new", arg(&dir.path().join("corto.quipu")), "--encrypt"], Some("corta"), None));
    assert!(stderr.contains("at least 8 characters"), "{stderr}");
}

#[test]
fn encrypting_and_decrypting_keep_the_project_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("vuelta.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let before = dump(&project);
    let passphrase = "una vuelta completa";
    ok(quipu_keyed(&["encrypt", arg(&project)], None, Some(passphrase)));
    // Closed and reopened: the wrong passphrase is refused, the right one opens it whole.
    quipu::store::remember_passphrase(&project, "otra cosa distinta");
    assert!(matches!(Store::open(&project), Err(quipu::store::StoreError::WrongPassphrase { .. })));
    quipu::store::forget_passphrase(&project);
    assert!(matches!(Store::open(&project), Err(quipu::store::StoreError::Locked { .. })));
    quipu::store::remember_passphrase(&project, passphrase);
    assert_eq!(dump(&project), before, "encrypted, the same project");
    quipu::store::forget_passphrase(&project);
    ok(quipu_keyed(&["decrypt", arg(&project)], Some(passphrase), None));
    assert_eq!(dump(&project), before, "decrypted, the same project");
}

#[test]
fn an_encrypted_coders_copy_merges_back_into_an_encrypted_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("equipo.quipu");
    quipu_ok(&["demo", arg(&project)]);
    let passphrase = "frase del equipo entero";
    ok(quipu_keyed(&["encrypt", arg(&project)], None, Some(passphrase)));
    let copy = dir.path().join("luis.quipu");
    ok(quipu_keyed(&["copy", arg(&project), arg(&copy), "--without-codings"], Some(passphrase), None));
    let codings = dir.path().join("codings.csv");
    std::fs::write(&codings, "excerpt,code\nE001,Trust\nE002,Trust\n").unwrap();
    ok(quipu_keyed(&["import", "codings", arg(&copy), arg(&codings), "--coder", "Luis"], Some(passphrase), None));
    let merged = ok(quipu_keyed(&["merge", arg(&project), arg(&copy)], Some(passphrase), None));
    assert!(merged.contains("2 codings") && merged.contains("(Luis)"), "{merged}");
    assert!(!in_file(&project, "Luis") && !in_file(&copy, "Luis"), "both stay encrypted");
}
