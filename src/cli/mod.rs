//! The command line: each subcommand parses its arguments, calls the core, and
//! prints. Errors go to stderr once, with a non-zero exit, and leave the project as
//! it was.

mod analysis;
mod export;
mod import;
mod project;

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::formats::csv_import::Field;
use crate::formats::{ExportError, ImportError};
use crate::model::{AttributeScope, TranslationStatus};
use crate::store::{Filter, Store, StoreError};

/// Quipu: qualitative coding of bilingual (Spanish/English) testimony, offline.
///
/// Without a subcommand, opens the window on the last project (or the bundled
/// demo). Every subcommand works on a project file (`*.quipu`, one SQLite file).
#[derive(Debug, Parser)]
#[command(name = "quipu", version)]
pub struct Cli {
    /// What to do; nothing opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project with the default codebook of mining-conflict themes.
    New {
        /// The project file to create, e.g. fieldwork.quipu.
        project: PathBuf,
        /// Start with an empty codebook instead of the default themes.
        #[arg(long)]
        empty_codebook: bool,
        /// Encrypt the project with a passphrase (asked on the terminal, or
        /// read from QUIPU_PASSPHRASE).
        #[arg(long)]
        encrypt: bool,
    },
    /// Encrypt a project with a passphrase (asked twice on the terminal, or
    /// read from QUIPU_NEW_PASSPHRASE). The encrypted file replaces the plain one
    /// only once it is complete and checked. A lost passphrase cannot be
    /// recovered, and neither can the project.
    Encrypt {
        /// The project file.
        project: PathBuf,
    },
    /// Decrypt an encrypted project back to a plain file (checked before it
    /// replaces the encrypted one).
    Decrypt {
        /// The project file.
        project: PathBuf,
    },
    /// Change an encrypted project's passphrase (the new one asked twice, or
    /// read from QUIPU_NEW_PASSPHRASE).
    Passphrase {
        /// The project file.
        project: PathBuf,
    },
    /// Write the bundled demo project (four fictional mine sites, 60 excerpts).
    Demo {
        /// The project file to create.
        project: PathBuf,
    },
    /// Write a consistent copy of a project (as File > Save a copy does), even
    /// while it is open. With --without-codings it is the blind copy for a
    /// second coder: the same material, codebook and identities, no codings.
    Copy {
        /// The project file.
        project: PathBuf,
        /// The copy to write (it must not exist).
        out: PathBuf,
        /// Leave out every coding and coder.
        #[arg(long)]
        without_codings: bool,
        /// Leave out every memo.
        #[arg(long)]
        without_memos: bool,
    },
    /// Merge a coder's copy back into the project.
    ///
    /// Brings in the copy's coders, codings, new codes, memos and translation
    /// reviews. Things are matched by identity, then by content
    /// (same source and text; same code name), so merging the same copy twice
    /// adds nothing. Where both copies hold a different text, definition, memo
    /// or review, this project's is kept and the difference is listed.
    Merge {
        /// The project to merge into.
        project: PathBuf,
        /// The coder's copy (another .quipu file).
        other: PathBuf,
        /// Say what would come in, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print what came in and the conflicts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import excerpts or attributes into a project.
    #[command(subcommand)]
    Import(ImportCommand),
    /// List the excerpts in reading order, with label, case, source, speaker,
    /// role, time, position, both texts and the translation's status.
    Excerpts {
        /// The project file.
        project: PathBuf,
        /// Only this case.
        #[arg(long, value_name = "NAME")]
        case: Option<String>,
        /// Only this source (its name).
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Print a JSON array of objects.
        #[arg(long)]
        json: bool,
    },
    /// How far coders agree, per code and overall: share of agreement, Cohen's
    /// kappa (two coders) or Fleiss' (more), and Krippendorff's alpha (nominal).
    /// Units are the project's excerpts, or every character of either text.
    Agreement {
        /// The project file.
        project: PathBuf,
        /// The coders to compare, by name, separated by commas.
        #[arg(long, value_delimiter = ',', required = true, value_name = "A,B")]
        coders: Vec<String>,
        /// The unit: excerpt or character.
        #[arg(long, default_value = "excerpt", value_name = "LEVEL")]
        level: String,
        /// Only this code, by name (repeatable); by default every code either coded.
        #[arg(long = "code", value_name = "NAME")]
        codes: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the codebook with how many excerpts and codings each code has.
    Codes {
        /// The project file.
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List case and source attributes with their types and values.
    Attributes {
        /// The project file.
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Code frequencies per case, source, speaker, role or attribute.
    Freq {
        /// The project file.
        project: PathBuf,
        /// Group by case, source, speaker, role, or the name of a case or source attribute.
        #[arg(long, default_value = "case", value_name = "GROUPING")]
        by: String,
        /// Which codings and excerpts to count.
        #[command(flatten)]
        filter: FilterArgs,
        /// Print JSON: {"by": "case", "counts": {"<group>": {"<code>": <excerpts>}}}, zero counts left out.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV: group, code, excerpts, codings, share, speakers, group_excerpts.
        #[arg(long)]
        csv: bool,
    },
    /// Which codes occur together: excerpts carrying both, overlapping codings, and
    /// the c-coefficient n12/(n1+n2-n12).
    Cooccur {
        /// The project file.
        project: PathBuf,
        /// Which codings and excerpts to count.
        #[command(flatten)]
        filter: FilterArgs,
        /// Print JSON.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV: code1, code2, n1, n2, excerpts, overlapping, c.
        #[arg(long)]
        csv: bool,
    },
    /// Search both languages; accents and case are ignored ("policia" finds "policía").
    Search {
        /// The project file.
        project: PathBuf,
        /// Words to find; "words in quotes" match as a phrase.
        query: String,
        /// Search only the text in this language (es, en …).
        #[arg(long)]
        lang: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Which page of results.
        #[arg(long, default_value_t = 1)]
        page: usize,
        /// Results per page.
        #[arg(long, default_value_t = 20)]
        per_page: usize,
    },
    /// Export quotes or frequency tables from a project.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Remove testimony for good: an informant who withdraws (every excerpt
    /// they spoke and every source recorded with them), or one excerpt, source
    /// or case, with their codings and memos. Says what goes and asks first
    /// (--yes answers for scripts); once done, nothing of it can be read from
    /// the file.
    Delete {
        /// What to remove: speaker, excerpt, source or case.
        #[arg(value_parser = ["speaker", "excerpt", "source", "case"])]
        what: String,
        /// The project file.
        project: PathBuf,
        /// The speaker's name, the excerpt's label or UUID, the source's name
        /// (or CASE/SOURCE), or the case's name.
        name: String,
        /// Remove without asking (for scripts). Without a terminal to ask on,
        /// nothing is removed unless this is given.
        #[arg(long)]
        yes: bool,
    },
    /// Open the window on a project (or the last project, or the demo).
    Gui {
        /// The project file to open.
        project: Option<PathBuf>,
    },
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a spreadsheet (CSV, UTF-8) of excerpts, one per row, in one transaction.
    ///
    /// Columns are recognised by header in English or Spanish: id, case/caso,
    /// source/fuente, speaker/hablante, role/rol, place/lugar, date/fecha,
    /// interviewer/entrevistador, original/texto original, translation/traducción,
    /// original_lang, translation_lang, status/estado, codes/códigos, memo/nota.
    /// A bad row stops the import, names the row and column, and changes nothing.
    Csv {
        /// The project file (it must exist; see `quipu new`).
        project: PathBuf,
        /// The CSV file.
        file: PathBuf,
        /// Map a field to a column by header or 1-based number, e.g. --map original=Testimonio.
        /// Fields: id case source speaker role place date interviewer original translation
        /// original_lang translation_lang status codes memo.
        #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_mapping)]
        map: Vec<(String, String)>,
        /// What separates code names in the codes column.
        #[arg(long, default_value = ";", value_name = "S")]
        codes_separator: String,
        /// Who the codes in the file are attributed to.
        #[arg(long, default_value = "imported", value_name = "NAME")]
        coder: String,
        /// Check the file and report what would be imported, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import a REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder or
    /// Quipu) or codebook (.qdc). Codes already in the project (by name) are reused;
    /// texts from other tools become sources with one excerpt per line.
    Refi {
        /// The project file.
        project: PathBuf,
        /// The .qdpx, .qde or .qdc file.
        file: PathBuf,
        /// Who codings without a known user are attributed to.
        #[arg(long, default_value = "imported", value_name = "NAME")]
        coder: String,
    },
    /// Import case attributes (a 'case' column, then one column per attribute) or
    /// source attributes (also a 'source' column). Types come from the values.
    Attributes {
        /// The project file.
        project: PathBuf,
        /// The CSV file.
        file: PathBuf,
    },
    /// Import codings made elsewhere onto existing excerpts from CSV: columns
    /// 'excerpt' (label or UUID) and 'code' (name or path Parent/Child), and
    /// optionally 'side' (original, translation or a language tag), 'start' and
    /// 'end' (characters, end exclusive), 'coder' and 'memo'. One transaction: a
    /// bad row is refused naming row and column, and nothing changes.
    Codings {
        /// The project file.
        project: PathBuf,
        /// The CSV file.
        file: PathBuf,
        /// Who the codings are attributed to when a row names no coder.
        #[arg(long, default_value = "imported")]
        coder: String,
        /// Check every row and say what would be imported, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import an interview transcript (.docx, .odt, .txt, .md, .srt, .vtt) as one
    /// source, one excerpt per speaker turn ("Rosa Quispe: …", "P: …",
    /// "[00:14:05] E: …"), paired with its translation when one is given.
    ///
    /// Lines before the first turn become the source's description; interviewer
    /// turns are kept and marked; timestamps are kept. Pairs the aligner is unsure
    /// of are left as drafts with a note. The same file is never imported twice
    /// into the same source.
    Transcript {
        /// The project file.
        project: PathBuf,
        /// The transcript in the original language.
        file: PathBuf,
        /// The translator's version of the same interview.
        #[arg(long, value_name = "FILE")]
        translation: Option<PathBuf>,
        /// The case it belongs to (default: the file's name).
        #[arg(long, value_name = "NAME")]
        case: Option<String>,
        /// The source's name (default: the file's name).
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// When it was recorded: yyyy, yyyy-mm or yyyy-mm-dd.
        #[arg(long, default_value = "", value_name = "DATE")]
        date: String,
        /// Where it was recorded.
        #[arg(long, default_value = "", value_name = "PLACE")]
        place: String,
        /// A label that marks the interviewer, besides Entrevistador/a, E, P,
        /// Pregunta, Interviewer, I, Q (repeatable).
        #[arg(long = "interviewer", value_name = "LABEL")]
        interviewers: Vec<String>,
        /// The original's language tag.
        #[arg(long, default_value = "es", value_name = "TAG")]
        lang: String,
        /// The translation's language tag.
        #[arg(long, default_value = "en", value_name = "TAG")]
        translation_lang: String,
        /// One excerpt per speaker turn (turns) or per paragraph (paragraphs).
        #[arg(long, default_value = "turns", value_name = "HOW")]
        split: String,
        /// Check and report what would be imported, without writing.
        #[arg(long)]
        dry_run: bool,
        /// Print the excerpts (speaker, time, both texts, pairing) as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What to export.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Coded quotes for a report: Word (.docx, the other language in footnotes),
    /// HTML, Markdown, CSV or a spreadsheet (.xlsx). Speakers are pseudonymised
    /// unless --names real.
    Quotes {
        /// The project file.
        project: PathBuf,
        /// The output file: .docx, .html, .md, .csv or .xlsx.
        out: PathBuf,
        /// Only quotes of this code (repeatable).
        #[arg(long = "code", value_name = "NAME")]
        codes: Vec<String>,
        /// With --code, include the codes under it.
        #[arg(long)]
        with_children: bool,
        /// Only quotes of this case (repeatable).
        #[arg(long = "case", value_name = "NAME")]
        cases: Vec<String>,
        /// Only quotes of this speaker (repeatable).
        #[arg(long = "speaker", value_name = "NAME")]
        speakers: Vec<String>,
        /// Only codings by this coder.
        #[arg(long, value_name = "NAME")]
        coder: Option<String>,
        /// Only excerpts whose translation has this status (repeatable): missing, draft, reviewed, disputed.
        #[arg(long = "status", value_name = "STATUS")]
        statuses: Vec<String>,
        /// The language quoted in the body; the other goes in footnotes.
        #[arg(long, default_value = "en", value_name = "LANG")]
        body: String,
        /// Sections per code (with its definition) or per case.
        #[arg(long, default_value = "code", value_name = "code|case")]
        group_by: String,
        /// How speakers are named: pseudonyms (kept in the project, or "Participant N"),
        /// roles (role and place), or real.
        #[arg(long, default_value = "pseudonyms", value_name = "pseudonyms|roles|real")]
        names: String,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// The project for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA .qdpx: one
    /// text per source and language), or its codebook alone (.qdc).
    Refi {
        /// The project file.
        project: PathBuf,
        /// The output file: .qdpx or .qdc.
        out: PathBuf,
        /// How speakers are named: real (the default, for colleagues who code
        /// the same material), pseudonyms or roles (names scrubbed from every
        /// text, memo, name and value as well).
        #[arg(long, default_value = "real", value_name = "real|pseudonyms|roles")]
        names: String,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
    /// A frequency table (.csv, .xlsx) or its chart (.svg, .png).
    Freq {
        /// The project file.
        project: PathBuf,
        /// The output file: .csv, .xlsx, .svg or .png.
        out: PathBuf,
        /// Group by case, source, speaker, role, or the name of an attribute.
        #[arg(long, default_value = "case", value_name = "GROUPING")]
        by: String,
        /// Which codings and excerpts to count.
        #[command(flatten)]
        filter: FilterArgs,
        /// For charts: grouped, stacked or heatmap.
        #[arg(long, default_value = "grouped")]
        chart: String,
        /// How speakers are named when grouping by speaker (and real names in
        /// other groups' names): pseudonyms (the default), roles, or real.
        #[arg(long, default_value = "pseudonyms", value_name = "pseudonyms|roles|real")]
        names: String,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
    },
}

/// Filters shared by counting commands.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Count each code with the codes under it.
    #[arg(long)]
    pub with_children: bool,
    /// Only codings by this coder.
    #[arg(long, value_name = "NAME")]
    pub coder: Option<String>,
    /// Only sources dated from this date (yyyy, yyyy-mm or yyyy-mm-dd).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only sources dated up to this date.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only excerpts whose translation has this status (repeatable).
    #[arg(long = "status", value_name = "STATUS")]
    pub statuses: Vec<String>,
    /// Only cases or sources whose attribute has this value, e.g. --where stage=operation.
    #[arg(long = "where", value_name = "ATTRIBUTE=VALUE")]
    pub attribute: Option<String>,
}

impl FilterArgs {
    /// The filter these arguments describe, checked against the project.
    fn count_filter(&self, store: &Store) -> Result<Filter, CliError> {
        for date in [&self.from, &self.to].into_iter().flatten() {
            if !crate::model::is_partial_date(date) {
                return Err(CliError::Message(format!("'{date}' is not a date written yyyy, yyyy-mm or yyyy-mm-dd")));
            }
        }
        let attribute = match &self.attribute {
            None => None,
            Some(condition) => {
                let Some((name, value)) = condition.split_once('=') else {
                    return Err(CliError::Message(format!("--where '{condition}': write ATTRIBUTE=VALUE")));
                };
                let found = [AttributeScope::Case, AttributeScope::Source]
                    .into_iter()
                    .map(|scope| store.attribute_by_name(scope, name))
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .flatten()
                    .next();
                let Some(attribute) = found else {
                    return Err(StoreError::NotFound { kind: "attribute", name: name.trim().to_owned() }.into());
                };
                let value = attribute
                    .value_type
                    .normalize_value(value)
                    .map_err(|message| CliError::Message(message.to_string()))?;
                Some((attribute.attribute_id, value))
            }
        };
        Ok(Filter {
            coder_id: coder_id(store, self.coder.as_deref())?,
            date_from: self.from.clone(),
            date_to: self.to.clone(),
            statuses: parse_statuses(&self.statuses)?,
            with_children: self.with_children,
            attribute,
            ..Filter::default()
        })
    }
}

/// The coder named `name`, if one was given; an unknown name is an error.
fn coder_id(store: &Store, name: Option<&str>) -> Result<Option<crate::model::CoderId>, CliError> {
    let Some(name) = name else {
        return Ok(None);
    };
    store
        .coders()?
        .into_iter()
        .find(|coder| coder.name.eq_ignore_ascii_case(name.trim()))
        .map(|coder| Some(coder.coder_id))
        .ok_or_else(|| StoreError::NotFound { kind: "coder", name: name.to_owned() }.into())
}

fn parse_statuses(names: &[String]) -> Result<Vec<TranslationStatus>, CliError> {
    names
        .iter()
        .map(|name| {
            TranslationStatus::parse(name).ok_or_else(|| {
                CliError::Message(format!("'{name}' is not a translation status: missing, draft, reviewed or disputed"))
            })
        })
        .collect()
}

fn parse_mapping(text: &str) -> Result<(String, String), String> {
    let Some((field, column)) = text.split_once('=') else {
        return Err(format!("'{text}' is not FIELD=COLUMN, e.g. original=Testimonio"));
    };
    if Field::parse(field).is_none() {
        let fields: Vec<&str> = Field::ALL.iter().map(|field| field.name()).collect();
        return Err(format!("unknown field '{field}'; the fields are: {}", fields.join(", ")));
    }
    Ok((field.trim().to_owned(), column.trim().to_owned()))
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The project could not be opened or changed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An import failed; nothing was imported.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// An export failed; nothing was written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// Anything else, said plainly.
    #[error("{0}")]
    Message(String),
}

impl Command {
    /// The project file the command works on.
    fn project(&self) -> Option<&std::path::Path> {
        Some(match self {
            Command::New { project, .. }
            | Command::Encrypt { project }
            | Command::Decrypt { project }
            | Command::Passphrase { project }
            | Command::Demo { project }
            | Command::Copy { project, .. }
            | Command::Merge { project, .. }
            | Command::Excerpts { project, .. }
            | Command::Agreement { project, .. }
            | Command::Codes { project, .. }
            | Command::Attributes { project, .. }
            | Command::Freq { project, .. }
            | Command::Cooccur { project, .. }
            | Command::Search { project, .. }
            | Command::Delete { project, .. } => project,
            Command::Import(
                ImportCommand::Csv { project, .. }
                | ImportCommand::Refi { project, .. }
                | ImportCommand::Attributes { project, .. }
                | ImportCommand::Codings { project, .. }
                | ImportCommand::Transcript { project, .. },
            ) => project,
            Command::Export(
                ExportCommand::Quotes { project, .. }
                | ExportCommand::Refi { project, .. }
                | ExportCommand::Freq { project, .. },
            ) => project,
            Command::Gui { project } => return project.as_deref(),
        })
    }
}

impl CliError {
    /// The error with a database failure said plainly about `project`
    /// (see [`StoreError::about_file`]).
    fn about_file(self, project: &std::path::Path) -> CliError {
        match self {
            CliError::Store(error) => CliError::Store(error.about_file(project)),
            CliError::Import(ImportError::Store(error)) => {
                CliError::Import(ImportError::Store(error.about_file(project)))
            }
            CliError::Export(ExportError::Store(error)) => {
                CliError::Export(ExportError::Store(error.about_file(project)))
            }
            other => other,
        }
    }
}

/// Runs a subcommand other than the window, printing to stdout. A database
/// failure names the project file and says what happened in plain words.
pub fn run(command: Command) -> Result<(), CliError> {
    let project = command.project().map(std::path::Path::to_path_buf);
    // An encrypted project (or the copy a merge brings in) is opened with the
    // passphrase from QUIPU_PASSPHRASE or asked on the terminal.
    let other = match &command {
        Command::Merge { other, .. } => Some(other.clone()),
        _ => None,
    };
    for path in project.iter().chain(other.iter()) {
        if path.is_file() && crate::store::looks_encrypted(path) {
            let passphrase = read_passphrase(path, "Passphrase for")?;
            crate::store::remember_passphrase(path, &passphrase);
        }
    }
    run_command(command).map_err(|error| match &project {
        Some(project) => error.about_file(project),
        None => error,
    })
}

fn run_command(command: Command) -> Result<(), CliError> {
    let mut out = String::new();
    match command {
        Command::New { project, empty_codebook, encrypt } => {
            if encrypt {
                let passphrase = new_passphrase(&project)?;
                crate::store::remember_passphrase(&project, &passphrase);
            }
            project::new(&mut out, &project, empty_codebook)?
        }
        Command::Encrypt { project } => {
            let store = open(&project)?;
            if store.is_encrypted() {
                return Err(CliError::Message(format!(
                    "{}: the project is encrypted already; 'quipu passphrase' changes its passphrase",
                    project.display()
                )));
            }
            let passphrase = new_passphrase(&project)?;
            store.rewrite_keyed(Some(&passphrase))?;
            out += &format!(
                "Encrypted {}. Keep the passphrase safe: without it the project cannot be opened, by anyone.\n",
                project.display()
            );
        }
        Command::Decrypt { project } => {
            let store = open(&project)?;
            if !store.is_encrypted() {
                return Err(CliError::Message(format!("{}: the project is not encrypted", project.display())));
            }
            store.rewrite_keyed(None)?;
            out += &format!("Decrypted {}: it is a plain file again.\n", project.display());
        }
        Command::Passphrase { project } => {
            let store = open(&project)?;
            if !store.is_encrypted() {
                return Err(CliError::Message(format!(
                    "{}: the project is not encrypted; 'quipu encrypt' encrypts it",
                    project.display()
                )));
            }
            let passphrase = new_passphrase(&project)?;
            store.rewrite_keyed(Some(&passphrase))?;
            out += &format!("Changed the passphrase of {}.\n", project.display());
        }
        Command::Demo { project } => project::demo(&mut out, &project)?,
        Command::Copy { project, out: target, without_codings, without_memos } => {
            let options = crate::store::CopyOptions { without_codings, without_memos };
            project::copy(&mut out, &open_to_read(&project)?, &project, &target, options)?
        }
        Command::Merge { project, other, dry_run, json } => {
            project::merge(&mut out, &mut open(&project)?, &other, dry_run, json)?
        }
        Command::Import(ImportCommand::Csv { project, file, map, codes_separator, coder, dry_run }) => {
            import::import_csv(&mut out, &project, &file, map, codes_separator, &coder, dry_run)?
        }
        Command::Import(ImportCommand::Refi { project, file, coder }) => {
            import::import_refi(&mut out, &project, &file, &coder)?
        }
        Command::Import(ImportCommand::Codings { project, file, coder, dry_run }) => {
            import::import_codings(&mut out, &project, &file, &coder, dry_run)?
        }
        Command::Import(ImportCommand::Attributes { project, file }) => {
            import::import_attributes(&mut out, &project, &file)?
        }
        Command::Import(ImportCommand::Transcript {
            project,
            file,
            translation,
            case,
            source,
            date,
            place,
            interviewers,
            lang,
            translation_lang,
            split,
            dry_run,
            json,
        }) => {
            let split = crate::formats::transcript::Split::parse(&split)
                .ok_or_else(|| CliError::Message(format!("--split '{split}': choose turns or paragraphs")))?;
            let options = crate::formats::transcript::TranscriptOptions {
                case,
                source,
                date,
                place,
                interviewers,
                lang,
                translation_lang,
                split,
            };
            import::import_transcript(&mut out, &project, &file, translation.as_deref(), &options, dry_run, json)?
        }
        Command::Agreement { project, coders, level, codes, json } => {
            analysis::agreement(&mut out, &open_to_read(&project)?, &coders, &level, &codes, json)?
        }
        Command::Excerpts { project, case, source, json } => {
            project::excerpts(&mut out, &open_to_read(&project)?, case.as_deref(), source.as_deref(), json)?
        }
        Command::Codes { project, json } => project::codes(&mut out, &open_to_read(&project)?, json)?,
        Command::Attributes { project, json } => project::attributes(&mut out, &open(&project)?, json)?,
        Command::Freq { project, by, filter, json, csv } => {
            analysis::freq(&mut out, &open_to_read(&project)?, &by, &filter, json, csv)?
        }
        Command::Cooccur { project, filter, json, csv } => {
            analysis::cooccur(&mut out, &open_to_read(&project)?, &filter, json, csv)?
        }
        Command::Search { project, query, lang, json, page, per_page } => {
            analysis::search(&mut out, &open_to_read(&project)?, &query, lang, json, page, per_page)?
        }
        Command::Export(command) => export::run(&mut out, command)?,
        Command::Delete { what, project, name, yes } => {
            project::delete(&mut out, &mut open(&project)?, &what, &name, yes)?
        }
        Command::Gui { .. } => {
            return Err(CliError::Message(
                "this build of Quipu has no window (it was built without the 'gui' feature)".to_owned(),
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`quipu freq … | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    Ok(())
}

/// A passphrase from `QUIPU_PASSPHRASE`, or asked on the terminal without echo.
fn read_passphrase(project: &std::path::Path, asking: &str) -> Result<String, CliError> {
    if let Ok(passphrase) = std::env::var("QUIPU_PASSPHRASE") {
        return Ok(passphrase);
    }
    use std::io::IsTerminal as _;
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Message(format!(
            "{}: the project is encrypted; run on a terminal to be asked its passphrase, or set QUIPU_PASSPHRASE",
            project.display()
        )));
    }
    rpassword::prompt_password(format!("{asking} {}: ", project.display()))
        .map_err(|error| CliError::Message(format!("the passphrase could not be read: {error}")))
}

/// A new passphrase: from `QUIPU_NEW_PASSPHRASE` (or, for a new project,
/// `QUIPU_PASSPHRASE`), or asked twice on the terminal. Never from an argument.
fn new_passphrase(project: &std::path::Path) -> Result<String, CliError> {
    let from_environment = std::env::var("QUIPU_NEW_PASSPHRASE").or_else(|_| {
        if project.exists() { Err(std::env::VarError::NotPresent) } else { std::env::var("QUIPU_PASSPHRASE") }
    });
    let passphrase = match from_environment {
        Ok(passphrase) => passphrase,
        Err(_) => {
            use std::io::IsTerminal as _;
            if !std::io::stdin().is_terminal() {
                return Err(CliError::Message(format!(
                    "{}: run on a terminal to choose a passphrase, or set QUIPU_NEW_PASSPHRASE",
                    project.display()
                )));
            }
            let first = rpassword::prompt_password(format!("New passphrase for {}: ", project.display()))
                .map_err(|error| CliError::Message(format!("the passphrase could not be read: {error}")))?;
            let second = rpassword::prompt_password("The same passphrase again: ")
                .map_err(|error| CliError::Message(format!("the passphrase could not be read: {error}")))?;
            if first != second {
                return Err(CliError::Message("the two passphrases differ; nothing was changed".to_owned()));
            }
            first
        }
    };
    if passphrase.chars().count() < 8 {
        return Err(CliError::Message(
            "a passphrase needs at least 8 characters (a few words are easier to remember and harder to guess)"
                .to_owned(),
        ));
    }
    Ok(passphrase)
}

fn open(project: &std::path::Path) -> Result<Store, CliError> {
    Ok(Store::open(project)?)
}

/// Opens a project for a command that only reads it: a project on a read-only
/// disk or in a read-only folder can still be read.
fn open_to_read(project: &std::path::Path) -> Result<Store, CliError> {
    Ok(Store::open_read_only(project)?)
}

/// "1 quote", "2 quotes".
fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}
