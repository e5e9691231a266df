//! Transcripts in: files built here as a person's word processor would write
//! them (Word, LibreOffice, Windows-1252 and UTF-8 text, subtitles), cut into
//! speaker turns, paired with their translations, imported from the command
//! line, listed with `quipu excerpts`, and bad files refused with the project
//! unchanged.

mod util;

use std::io::Write as _;

use quipu::formats::transcript::{
    Match, TranscriptOptions, align_turns, cut_into_turns, plan_transcript, read_transcript,
};
use util::{arg, dump, quipu_err, quipu_ok};

/// A ZIP package with the given parts.
fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A ZIP package whose parts may hold any bytes.
fn package_bytes(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The first half of a file, as a download cut short leaves it.
fn truncated(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.truncate(bytes.len() / 2);
    bytes
}

/// A Word document: each paragraph is (bold label, rest).
fn docx(paragraphs: &[(&str, &str)]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|(label, rest)| {
            let bold = if label.is_empty() {
                String::new()
            } else {
                format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{label}</w:t></w:r>")
            };
            format!("<w:p>{bold}<w:r><w:t xml:space=\"preserve\">{rest}</w:t></w:r></w:p>")
        })
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    package(&[
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        ),
        ("word/document.xml", &document),
    ])
}

fn odt(paragraphs: &[&str]) -> Vec<u8> {
    let body: String =
        paragraphs.iter().map(|text| format!("<text:p text:style-name=\"P1\">{text}</text:p>")).collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\
         <office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    package(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", &content)])
}

fn turns_of(bytes: &[u8], name: &str) -> Vec<(String, bool, String, String)> {
    let file = read_transcript(bytes, name).unwrap();
    cut_into_turns(&file.paragraphs, false, &[])
        .turns
        .into_iter()
        .map(|turn| (turn.label, turn.interviewer, turn.time, turn.text))
        .collect()
}

fn owned(turns: &[(&str, bool, &str, &str)]) -> Vec<(String, bool, String, String)> {
    turns.iter().map(|(a, b, c, d)| (a.to_string(), *b, c.to_string(), d.to_string())).collect()
}

#[test]
fn a_word_transcript_with_bold_labels_and_timestamps_becomes_turns() {
    let bytes = docx(&[
        ("", "Entrevista 7 — Comunidad de Llaqtapampa"),
        ("[00:01:10] Entrevistadora:", " ¿Cuándo llegó la policía?"),
        ("Rosa Quispe:", " En 2018, de noche."),
        ("", "Nadie nos avisó."),
        ("[00:02:30] Entrevistadora:", " ¿Y el agua?"),
        ("Rosa Quispe:", " Se secó el ojo de agua."),
    ]);
    let file = read_transcript(&bytes, "entrevista-7.docx").unwrap();
    let cut = cut_into_turns(&file.paragraphs, false, &[]);
    assert_eq!(cut.preamble, "Entrevista 7 — Comunidad de Llaqtapampa");
    let turns: Vec<_> =
        cut.turns.iter().map(|t| (t.label.clone(), t.interviewer, t.time.clone(), t.text.clone())).collect();
    assert_eq!(
        turns,
        owned(&[
            ("Entrevistadora", true, "00:01:10", "¿Cuándo llegó la policía?"),
            ("Rosa Quispe", false, "", "En 2018, de noche.\n\nNadie nos avisó."),
            ("Entrevistadora", true, "00:02:30", "¿Y el agua?"),
            ("Rosa Quispe", false, "", "Se secó el ojo de agua."),
        ])
    );
}

#[test]
fn a_libreoffice_transcript_becomes_turns() {
    let bytes = odt(&[
        "P: ¿Quién<text:s text:c=\"2\"/>cuida la mina?",
        "R: La <text:span>policía</text:span>.",
        "P: ¿Siempre?",
        "R: Sí.",
    ]);
    assert_eq!(
        turns_of(&bytes, "taller.odt"),
        owned(&[
            ("P", true, "", "¿Quién  cuida la mina?"),
            ("R", false, "", "La policía."),
            ("P", true, "", "¿Siempre?"),
            ("R", false, "", "Sí.")
        ])
    );
}

#[test]
fn a_windows_1252_text_is_converted_and_says_so() {
    let bytes = b"E: \xbfQu\xe9 pas\xf3?\r\nSe\xf1ora Ccahuana: Lleg\xf3 la polic\xeda.\r\nE: \xbfY despu\xe9s?\r\n";
    let file = read_transcript(bytes, "viejo.txt").unwrap();
    assert!(file.note.as_ref().unwrap().to_string().contains("Windows-1252"));
    assert_eq!(
        turns_of(bytes, "viejo.txt"),
        owned(&[
            ("E", true, "", "¿Qué pasó?"),
            ("Señora Ccahuana", false, "", "Llegó la policía."),
            ("E", true, "", "¿Y después?")
        ])
    );
}

#[test]
fn a_utf8_text_with_bom_and_windows_line_ends_reads_clean() {
    let bytes = "\u{feff}[10:05] Entrevistador: ¿Y el canon minero?\r\n[10:40] Alcalde: No llega.\r\n\r\nEntrevistador: ¿Nunca?\r\nAlcalde: Nunca.\r\n".as_bytes();
    let file = read_transcript(bytes, "alcalde.txt").unwrap();
    assert!(file.note.is_none(), "UTF-8 needs no conversion");
    assert_eq!(
        turns_of(bytes, "alcalde.txt"),
        owned(&[
            ("Entrevistador", true, "00:10:05", "¿Y el canon minero?"),
            ("Alcalde", false, "00:10:40", "No llega."),
            ("Entrevistador", true, "", "¿Nunca?"),
            ("Alcalde", false, "", "Nunca."),
        ])
    );
}

#[test]
fn subtitles_keep_their_cue_times() {
    let srt = "1\n00:00:01,000 --> 00:00:04,000\nEntrevistadora: ¿Cómo se llama?\n\n2\n00:00:05,500 --> 00:00:09,000\nRosa: Rosa Quispe.\nSoy presidenta.\n\n";
    assert_eq!(
        turns_of(srt.as_bytes(), "audio.srt"),
        owned(&[
            ("Entrevistadora", true, "00:00:01", "¿Cómo se llama?"),
            ("Rosa", false, "00:00:05", "Rosa Quispe. Soy presidenta.")
        ])
    );
    let vtt = "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Entrevistadora>¿Y el río?</v>\n\n00:05.000 --> 00:08.000\n<v Rosa>Está seco.</v>\n";
    assert_eq!(
        turns_of(vtt.as_bytes(), "audio.vtt"),
        owned(&[("Entrevistadora", true, "00:00:01", "¿Y el río?"), ("Rosa", false, "00:00:05", "Está seco.")])
    );
}

/// Turns from lines "Label: text".
fn turns(lines: &[&str]) -> Vec<quipu::formats::transcript::Turn> {
    let paragraphs: Vec<_> = lines
        .iter()
        .map(|line| quipu::formats::transcript::Paragraph { text: (*line).to_owned(), time: None })
        .collect();
    cut_into_turns(&paragraphs, false, &[]).turns
}

const SPANISH: &[&str] = &[
    "E: ¿Cuándo llegaron las camionetas de la empresa a la comunidad?",
    "Rosa Quispe: Llegaron en el paro de 2018, de noche, con policías que dormían en el campamento de la mina.",
    "E: ¿Quién pagaba a esos policías?",
    "Rosa Quispe: La empresa pagaba todo: la comida, la gasolina, el alojamiento, y hasta un bono por día.",
    "E: ¿Y la comunidad qué hizo?",
    "Rosa Quispe: Hicimos una asamblea y mandamos una carta a la Defensoría del Pueblo en Lima.",
];

/// (original turn indexes, translation turn indexes) of each pair.
fn shape(original: &[&str], translation: &[&str]) -> Vec<(Vec<usize>, Vec<usize>, Match)> {
    let (a, b) = (turns(original), turns(translation));
    let position = |list: &[quipu::formats::transcript::Turn], turn: &quipu::formats::transcript::Turn| {
        list.iter().position(|other| other == turn).unwrap()
    };
    align_turns(&a, &b)
        .into_iter()
        .map(|pair| {
            (
                pair.original.iter().map(|turn| position(&a, turn)).collect(),
                pair.translation.iter().map(|turn| position(&b, turn)).collect(),
                pair.kind,
            )
        })
        .collect()
}

#[test]
fn turns_pair_one_to_one_with_different_labels_in_each_language() {
    let english = [
        "I: When did the company's pickups arrive in the community?",
        "R.Q.: They came during the 2018 strike, at night, with police officers who slept at the mine camp.",
        "I: Who paid those police officers?",
        "R.Q.: The company paid for everything: food, fuel, lodging, and even a daily bonus.",
        "I: And what did the community do?",
        "R.Q.: We held an assembly and sent a letter to the Ombudsman's Office in Lima.",
    ];
    let expected: Vec<_> = (0..6).map(|i| (vec![i], vec![i], Match::OneOne)).collect();
    assert_eq!(shape(SPANISH, &english), expected);
}

#[test]
fn a_turn_the_translator_left_out_keeps_no_translation_and_shifts_nothing() {
    let english = [
        "I: When did the company's pickups arrive in the community?",
        "R.Q.: They came during the 2018 strike, at night, with police officers who slept at the mine camp.",
        // The question "Who paid those police officers?" was not translated.
        "R.Q.: The company paid for everything: food, fuel, lodging, and even a daily bonus.",
        "I: And what did the community do?",
        "R.Q.: We held an assembly and sent a letter to the Ombudsman's Office in Lima.",
    ];
    assert_eq!(
        shape(SPANISH, &english),
        vec![
            (vec![0], vec![0], Match::OneOne),
            (vec![1], vec![1], Match::OneOne),
            (vec![2], vec![], Match::OneNone),
            (vec![3], vec![2], Match::OneOne),
            (vec![4], vec![3], Match::OneOne),
            (vec![5], vec![4], Match::OneOne),
        ]
    );
}

#[test]
fn a_turn_the_translator_split_in_two_paragraphs_stays_one_turn() {
    let english = [
        "I: When did the company's pickups arrive in the community?",
        "R.Q.: They came during the 2018 strike, at night,",
        "with police officers who slept at the mine camp.",
        "I: Who paid those police officers?",
        "R.Q.: The company paid for everything: food, fuel, lodging, and even a daily bonus.",
        "I: And what did the community do?",
        "R.Q.: We held an assembly and sent a letter to the Ombudsman's Office in Lima.",
    ];
    let expected: Vec<_> = (0..6).map(|i| (vec![i], vec![i], Match::OneOne)).collect();
    assert_eq!(shape(SPANISH, &english), expected);
}

#[test]
fn two_turns_the_translator_merged_pair_with_one() {
    let spanish = [
        "E: ¿Cuándo llegaron las camionetas de la empresa a la comunidad?",
        "Rosa Quispe: Llegaron en el paro de 2018, de noche.",
        "Rosa Quispe: Con policías que dormían en el campamento de la mina y comían en su comedor.",
        "E: ¿Y la comunidad qué hizo?",
        "Rosa Quispe: Hicimos una asamblea y mandamos una carta a la Defensoría del Pueblo en Lima.",
    ];
    let english = [
        "I: When did the company's pickups arrive in the community?",
        "R.Q.: They came during the 2018 strike, at night, with police officers who slept at the mine camp and ate in its canteen.",
        "I: And what did the community do?",
        "R.Q.: We held an assembly and sent a letter to the Ombudsman's Office in Lima.",
    ];
    assert_eq!(
        shape(&spanish, &english),
        vec![
            (vec![0], vec![0], Match::OneOne),
            (vec![1, 2], vec![1], Match::TwoOne),
            (vec![3], vec![2], Match::OneOne),
            (vec![4], vec![3], Match::OneOne),
        ]
    );
}

#[test]
fn a_transcript_and_its_translation_import_as_one_source_and_list_as_excerpts() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("campo.quipu");
    quipu_ok(&["new", arg(&project)]);
    let original = dir.path().join("rosa-es.docx");
    std::fs::write(
        &original,
        docx(&[
            ("", "Entrevista a Rosa Quispe, 14 de marzo de 2021"),
            ("[00:00:12] E:", " ¿Cuándo llegaron las camionetas de la empresa a la comunidad?"),
            ("Rosa Quispe:", " Llegaron en el paro de 2018, de noche, con policías que dormían en el campamento."),
            ("E:", " ¿Quién pagaba a esos policías?"),
            ("Rosa Quispe:", " La empresa pagaba todo: la comida, la gasolina y hasta un bono por día."),
        ]),
    )
    .unwrap();
    let translation = dir.path().join("rosa-en.txt");
    std::fs::write(
        &translation,
        "I: When did the company's pickups arrive in the community?\n\
         R.Q.: They came during the 2018 strike, at night, with police officers who slept at the camp.\n\
         R.Q.: The company paid for everything: food, fuel and even a daily bonus.\n",
    )
    .unwrap();
    let empty = dump(&project);
    let checked = quipu_ok(&[
        "import",
        "transcript",
        arg(&project),
        arg(&original),
        "--translation",
        arg(&translation),
        "--case",
        "Cerro Alto",
        "--source",
        "Rosa Quispe 2021",
        "--date",
        "2021-03-14",
        "--dry-run",
        "--json",
    ]);
    let pairs: serde_json::Value = serde_json::from_str(&checked).unwrap();
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 4, "{checked}");
    assert_eq!(pairs[2]["translation"], serde_json::Value::Null, "the untranslated question: {checked}");
    assert_eq!(pairs[2]["uncertain"], true);
    assert_eq!(pairs[0]["time"], "00:00:12");
    assert_eq!(dump(&project), empty, "the dry run wrote nothing");

    let said = quipu_ok(&[
        "import",
        "transcript",
        arg(&project),
        arg(&original),
        "--translation",
        arg(&translation),
        "--case",
        "Cerro Alto",
        "--source",
        "Rosa Quispe 2021",
        "--date",
        "2021-03-14",
    ]);
    assert!(said.contains("Imported 4 turns as source 'Rosa Quispe 2021'"), "{said}");
    let listed: serde_json::Value =
        serde_json::from_str(&quipu_ok(&["excerpts", arg(&project), "--case", "Cerro Alto", "--json"])).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 4);
    for key in [
        "label",
        "case",
        "source",
        "speaker",
        "role",
        "time",
        "position",
        "original",
        "translation",
        "translation_status",
    ] {
        assert!(listed[0].get(key).is_some(), "{key} is missing");
    }
    assert_eq!(listed[0]["role"], "interviewer");
    assert_eq!(listed[1]["speaker"], "Rosa Quispe");
    assert_eq!(listed[2]["translation_status"], "missing");
    assert_eq!(listed[3]["translation_status"], "draft");
    let store = quipu::store::Store::open(&project).unwrap();
    let source = &store.sources().unwrap()[0];
    assert_eq!(source.description, "Entrevista a Rosa Quispe, 14 de marzo de 2021");
    assert_eq!(
        (source.speaker.as_str(), source.interviewer.as_str(), source.date.as_str()),
        ("Rosa Quispe", "E", "2021-03-14")
    );
    drop(store);

    // The same file into the same source again is refused, naming the source.
    let before = dump(&project);
    let error = quipu_err(&[
        "import",
        "transcript",
        arg(&project),
        arg(&original),
        "--case",
        "Cerro Alto",
        "--source",
        "Rosa Quispe 2021",
    ]);
    assert!(error.contains("rosa-es.docx") && error.contains("'Rosa Quispe 2021' of case 'Cerro Alto'"), "{error}");
    assert_eq!(dump(&project), before);
}

#[test]
fn bad_transcript_files_are_refused_naming_the_file_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("campo.quipu");
    quipu_ok(&["new", arg(&project)]);
    let before = dump(&project);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("roto.docx", b"this is not a zip".to_vec(), "not a readable document"),
        ("vacio.docx", package(&[("other.xml", "<x/>")]), "no word/document.xml inside"),
        ("mal.docx", package(&[("word/document.xml", "<w:document><w:body><w:p>")]), "not well-formed XML"),
        ("nada.txt", b"   \n\n  \r\n".to_vec(), "has no text"),
        ("nada.odt", odt(&["", " "]), "has no text"),
        // A zip bomb: a small file whose document unpacks to more than 64 MB,
        // refused by its ratio before it is unpacked.
        (
            "bomba.docx",
            package(&[("word/document.xml", &" ".repeat(65 * 1024 * 1024))]),
            "word/document.xml unpacks to more than 200 times its packed size",
        ),
        // A package cut short in transit.
        ("cortado.docx", truncated(docx(&[("Rosa:", "El agua se fue.")])), "not a readable document"),
        // Spans nested twenty thousand deep: refused, not a stack overflow.
        (
            "hondo.odt",
            odt(&[&format!("{}x{}", "<text:span>".repeat(20_000), "</text:span>".repeat(20_000))]),
            "more than 256 deep",
        ),
        // The document's XML is not UTF-8.
        ("latin.docx", package_bytes(&[("word/document.xml", b"<w:document>\xe9</w:document>")]), "not UTF-8"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = quipu_err(&["import", "transcript", arg(&project), arg(&path)]);
        assert!(error.contains(name) && error.contains(expected), "{name}: {error}");
        assert_eq!(dump(&project), before, "{name} changed the project");
    }
    let date = dir.path().join("bien.txt");
    std::fs::write(&date, "E: Hola.\nR: Hola.\n").unwrap();
    let error = quipu_err(&["import", "transcript", arg(&project), arg(&date), "--date", "14/03/2021"]);
    assert!(error.contains("bien.txt") && error.contains("14/03/2021"), "{error}");
    assert_eq!(dump(&project), before);
}

#[test]
fn split_by_paragraphs_makes_one_excerpt_per_paragraph() {
    let bytes = "E: ¿Qué pasó?\nR: Llegaron.\nDe noche.\n".as_bytes();
    let file = read_transcript(bytes, "t.txt").unwrap();
    let options =
        TranscriptOptions { split: quipu::formats::transcript::Split::Paragraphs, ..TranscriptOptions::default() };
    let plan = plan_transcript(&file, None, &options).unwrap();
    let texts: Vec<_> = plan.excerpts.iter().map(|e| (e.speaker.as_str(), e.original.as_deref().unwrap())).collect();
    assert_eq!(texts, vec![("E", "¿Qué pasó?"), ("R", "Llegaron."), ("R", "De noche.")]);
}

#[test]
fn interviewer_turns_are_no_testimony_unless_coded_and_reports_say_who_and_when() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("campo.quipu");
    quipu_ok(&["new", arg(&project)]);
    let file = dir.path().join("rosa.txt");
    std::fs::write(
        &file,
        "[00:01:00] E: ¿Quién pagaba a los policías?\n\
         [00:01:20] Rosa: La empresa pagaba todo.\n\
         [00:02:00] E: ¿Y el agua?\n\
         [00:02:10] Rosa: Se secó.\n",
    )
    .unwrap();
    quipu_ok(&["import", "transcript", arg(&project), arg(&file), "--case", "Cerro Alto"]);
    let mut store = quipu::store::Store::open(&project).unwrap();
    let ids = store.excerpt_ids().unwrap();
    let coder = store.ensure_coder("Ana").unwrap();
    let police = store.code_by_name("Police use").unwrap().unwrap().code_id;
    // The first question and the first answer are coded; the second question is not.
    store.add_coding(ids[0], police, coder, quipu::model::CodingAnchor::Whole).unwrap();
    store.add_coding(ids[1], police, coder, quipu::model::CodingAnchor::Whole).unwrap();
    let table = quipu::analysis::frequencies(&store, quipu::store::Grouping::Speaker, &Default::default()).unwrap();
    assert_eq!(table.total_excerpts, 3, "two answers and the coded question; the uncoded question is not testimony");
    drop(store);
    let report = dir.path().join("citas.md");
    quipu_ok(&["export", "quotes", arg(&project), arg(&report), "--names", "real"]);
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("interviewer") && text.contains("00:01:00"), "{text}");
    assert!(text.contains("Rosa") && text.contains("00:01:20"), "{text}");
}

#[test]
fn libreoffice_notes_and_runaway_space_counts_stay_out_of_the_testimony() {
    let bytes = odt(&[
        "Rosa:<text:s text:c=\"4000000000\"/>El agua se fue.<text:note><text:note-body><text:p>Nota del traductor.</text:p></text:note-body></text:note>",
    ]);
    let file = read_transcript(&bytes, "rosa.odt").unwrap();
    let text: String = file.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("|");
    assert!(!text.contains("Nota del traductor"), "{text}");
    assert!(text.starts_with("Rosa:") && text.ends_with("El agua se fue."), "{text}");
    assert!(text.len() < 2000, "a space count is bounded: {} bytes", text.len());
}
