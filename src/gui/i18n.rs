//! The interface's words in English and Spanish. Every label goes through [`Msg`],
//! whose table the compiler keeps complete: a message without a Spanish text does
//! not build.

pub use crate::language::Language;

macro_rules! messages {
    ($($name:ident => $english:literal, $spanish:literal;)*) => {
        /// A piece of interface text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $(#[allow(missing_docs)] $name),* }

        impl Msg {
            /// Every message, for tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The text in `language`.
            pub fn text(self, language: Language) -> &'static str {
                match (self, language) {
                    $((Msg::$name, Language::English) => $english,
                      (Msg::$name, Language::Spanish) => $spanish,)*
                }
            }
        }
    };
}

messages! {
    File => "File", "Archivo";
    Edit => "Edit", "Editar";
    View => "View", "Ver";
    Help => "Help", "Ayuda";
    NewProject => "New project…", "Nuevo proyecto…";
    Open => "Open…", "Abrir…";
    OpenRecent => "Open recent", "Abrir reciente";
    OpenDemo => "Open the demo project", "Abrir el proyecto de demostración";
    ImportCsv => "Import CSV…", "Importar CSV…";
    ExportQuotes => "Export quotes…", "Exportar citas…";
    SaveCopy => "Save a copy as…", "Guardar una copia como…";
    SaveBlindCopy => "Save a copy for a second coder…", "Guardar una copia para una segunda codificación…";
    SaveBlindCopyHelp => "The same material and codebook without any codings, so a colleague codes on her own; agreement compares you afterwards.", "El mismo material y libro de códigos sin codificaciones, para que una colega codifique por su cuenta; luego el acuerdo las compara.";
    Quit => "Quit", "Salir";
    Undo => "Undo", "Deshacer";
    Redo => "Redo", "Rehacer";
    NothingToUndo => "Nothing to undo", "Nada que deshacer";
    NothingToRedo => "Nothing to redo", "Nada que rehacer";
    Undone => "Undone: {what}", "Deshecho: {what}";
    Redone => "Redone: {what}", "Rehecho: {what}";
    Undoing => "Undoing: {what}", "Deshaciendo: {what}";
    Redoing => "Redoing: {what}", "Rehaciendo: {what}";
    EditsWait => "Edits wait for this to finish ({job})", "Las ediciones esperan a que esto termine ({job})";
    Theme => "Theme", "Tema";
    Light => "Light", "Claro";
    Dark => "Dark", "Oscuro";
    FollowSystem => "Follow the system", "Según el sistema";
    Language => "Language", "Idioma";
    TextSize => "Text size", "Tamaño del texto";
    Larger => "Larger", "Más grande";
    Smaller => "Smaller", "Más pequeño";
    ShowCodebook => "Codebook panel", "Panel del libro de códigos";
    CurrentCoder => "Coder", "Codificador(a)";
    ChangeCoder => "Change coder…", "Cambiar de codificador(a)…";
    WhoIsCoding => "Who is coding?", "¿Quién codifica?";
    WhoIsCodingHint => "Your codings are signed with this name, so several coders can be compared.", "Sus codificaciones llevan este nombre, para poder comparar a varios codificadores.";
    YourName => "Your name", "Su nombre";
    Continue => "Continue", "Continuar";
    Shortcuts => "Keyboard shortcuts", "Atajos de teclado";
    About => "About Quipu", "Acerca de Quipu";
    AboutText => "Quipu codes testimony kept in two languages. Everything stays in one project file on this computer; nothing is sent anywhere.", "Quipu codifica testimonios en dos idiomas. Todo queda en un archivo de proyecto en esta computadora; nada se envía a ningún lugar.";
    Close => "Close", "Cerrar";
    Cancel => "Cancel", "Cancelar";
    Save => "Save", "Guardar";
    Delete => "Delete", "Eliminar";
    Search => "Search", "Buscar";
    SearchHint => "Search both languages…", "Buscar en ambos idiomas…";
    Filters => "Filters", "Filtros";
    ClearFilters => "Clear filters", "Quitar filtros";
    Case => "Case", "Caso";
    Source => "Source", "Fuente";
    Speaker => "Speaker", "Hablante";
    Code => "Code", "Código";
    Coder => "Coder", "Codificador(a)";
    Status => "Translation", "Traducción";
    Any => "Any", "Todos";
    Cases => "Cases", "Casos";
    Excerpts => "Excerpts", "Fragmentos";
    NExcerpts => "{n} excerpts", "{n} fragmentos";
    NOfMExcerpts => "{n} of {m} excerpts", "{n} de {m} fragmentos";
    NoExcerptSelected => "Choose an excerpt on the left to read it here.", "Elija un fragmento a la izquierda para leerlo aquí.";
    NoMatches => "No excerpt matches these filters.", "Ningún fragmento coincide con estos filtros.";
    Original => "Original", "Original";
    Translation => "Translation", "Traducción";
    NoOriginal => "No original text.", "Sin texto original.";
    NoTranslation => "No translation yet.", "Aún sin traducción.";
    EditText => "Edit", "Editar";
    Missing => "missing", "falta";
    Draft => "draft", "borrador";
    Reviewed => "reviewed", "revisada";
    Disputed => "disputed", "cuestionada";
    ReviewNote => "Reviewer's note", "Nota de revisión";
    Memo => "Memo", "Memo";
    ExcerptMemo => "Memo on this excerpt", "Memo sobre este fragmento";
    Codings => "Codings", "Codificaciones";
    WholeExcerpt => "whole excerpt", "fragmento completo";
    NoCodings => "Not coded yet. Select words and click a code, or click a code to code the whole excerpt.", "Aún sin codificar. Seleccione palabras y haga clic en un código, o haga clic en un código para codificar todo el fragmento.";
    Remove => "Remove", "Quitar";
    RecodeAs => "Re-code as", "Recodificar como";
    CodeSelectionAs => "Code the selection as", "Codificar la selección como";
    CodeWholeAs => "Code the whole excerpt as", "Codificar todo el fragmento como";
    NeedsReview => "The words this coding covered were edited away: check it.", "Las palabras de esta codificación se editaron: revísela.";
    CodedBy => "coded by {who}", "codificado por {who}";
    Codebook => "Codebook", "Libro de códigos";
    NewCode => "New code", "Código nuevo";
    NewCodeHint => "Name of a new code…", "Nombre de un código nuevo…";
    Add => "Add", "Agregar";
    Rename => "Rename", "Renombrar";
    CodeProperties => "Code properties…", "Propiedades del código…";
    Name => "Name", "Nombre";
    Colour => "Colour", "Color";
    Definition => "Definition", "Definición";
    AddSubcode => "Add a sub-code", "Agregar un subcódigo";
    MoveUnder => "Move under", "Mover dentro de";
    MoveToTop => "Move to the top level", "Mover al primer nivel";
    MergeInto => "Merge into", "Fusionar con";
    DeleteCode => "Delete code…", "Eliminar código…";
    ShowExcerpts => "Show its excerpts", "Mostrar sus fragmentos";
    ConfirmDeleteCode => "Delete the code '{name}'? Its {n} codings go with it. Its sub-codes move up a level. You can undo this.", "¿Eliminar el código «{name}»? Sus {n} codificaciones se eliminan con él. Sus subcódigos suben un nivel. Puede deshacerlo.";
    ConfirmMergeCode => "Merge '{source}' into '{target}'? Its {n} codings join '{target}' and '{source}' disappears. You can undo this.", "¿Fusionar «{source}» con «{target}»? Sus {n} codificaciones pasan a «{target}» y «{source}» desaparece. Puede deshacerlo.";
    Merge => "Merge", "Fusionar";
    QuickPick => "Apply a code", "Aplicar un código";
    QuickPickHint => "Type to filter codes, Enter to apply", "Escriba para filtrar códigos, Enter para aplicar";
    CodesHelp => "Click a code to apply it to the selected words, or to the whole excerpt when nothing is selected. Keys 1–9 apply the first nine codes.", "Haga clic en un código para aplicarlo a las palabras seleccionadas, o a todo el fragmento si no hay selección. Las teclas 1–9 aplican los nueve primeros códigos.";
    ImportTitle => "Import excerpts from a spreadsheet", "Importar fragmentos de una hoja de cálculo";
    ColumnFor => "Column for each field", "Columna para cada campo";
    NotImported => "(not imported)", "(no se importa)";
    FirstRows => "First rows of the file", "Primeras filas del archivo";
    CodesSeparator => "Codes are separated by", "Los códigos están separados por";
    Import => "Import", "Importar";
    Check => "Check without importing", "Revisar sin importar";
    Importing => "Importing {file}…", "Importando {file}…";
    Exporting => "Exporting {file}…", "Exportando {file}…";
    ImportDone => "Imported {n} excerpts from {file}.", "Se importaron {n} fragmentos de {file}.";
    CheckDone => "{file} is ready: {n} excerpts would be imported.", "{file} está listo: se importarían {n} fragmentos.";
    ExportDone => "Exported {n} quotes to {file}.", "Se exportaron {n} citas a {file}.";
    CopySaved => "Saved a copy to {file}.", "Se guardó una copia en {file}.";
    BlindCopySaved => "Saved a copy without codings to {file}, for a second coder.", "Se guardó una copia sin codificaciones en {file}, para una segunda codificación.";
    TableExported => "Exported the table to {file}.", "Se exportó la tabla a {file}.";
    Cancelled => "Cancelled; nothing was changed.", "Cancelado; no se cambió nada.";
    StillRunning => "Wait for this to finish first: {job}", "Espere a que termine primero: {job}";
    ExportTitle => "Export coded quotes", "Exportar citas codificadas";
    Format => "Format", "Formato";
    BodyLanguage => "Quote in the body", "Citar en el cuerpo";
    OtherInFootnote => "the other language goes in a footnote", "el otro idioma va en una nota al pie";
    OnlyCodes => "Only these codes (none ticked: all)", "Solo estos códigos (ninguno marcado: todos)";
    OnlyCases => "Only these cases (none ticked: all)", "Solo estos casos (ninguno marcado: todos)";
    ExportButton => "Export…", "Exportar…";
    Opened => "Opened {file}.", "Se abrió {file}.";
    DropToImport => "Drop a CSV file to import it", "Suelte un archivo CSV para importarlo";
    LostPassages => "{n} coded passages lost their words and are flagged for review.", "{n} pasajes codificados perdieron sus palabras y quedan marcados para revisión.";
    Previous => "Previous", "Anterior";
    Next => "Next", "Siguiente";
    NoProject => "No project is open.", "No hay ningún proyecto abierto.";
    CodeMenu => "{name}: code menu", "{name}: menú del código";
    ActCoding => "coding", "codificación";
    ActRemoveCoding => "removing a coding", "quitar una codificación";
    ActRecode => "re-coding", "recodificación";
    ActNewCode => "new code", "código nuevo";
    ActRenameCode => "renaming a code", "renombrar un código";
    ActCodeProperties => "code properties", "propiedades del código";
    ActMoveCode => "moving a code", "mover un código";
    ActMergeCodes => "merging codes", "fusionar códigos";
    ActDeleteCode => "deleting a code", "eliminar un código";
    ActEditText => "editing a text", "editar un texto";
    ActStatus => "translation status", "estado de la traducción";
    ActMemo => "memo", "memo";
    ActImport => "import", "importación";
    ActAttribute => "attribute", "atributo";
    ActImportAttributes => "attribute import", "importación de atributos";
    ActImportRefi => "REFI-QDA import", "importación REFI-QDA";
    ActCodeKey => "changing a code's key", "cambio de la tecla de un código";
    Created => "Created {file}", "Creado {file}";
    NoSystemDialog => "This desktop has no system file dialog (no portal or zenity): Quipu uses its own file chooser.", "Este escritorio no tiene un diálogo de archivos del sistema (ni portal ni zenity): Quipu usa su propio selector de archivos.";
    UseOwnFileChooser => "Use Quipu's own file chooser", "Usar el selector de archivos de Quipu";
    ShowNavigator => "Show the navigator", "Mostrar el navegador";
    ChooseFile => "Choose a file", "Elegir un archivo";
    ChooseWhereToSave => "Choose where to save", "Elegir dónde guardar";
    OpenFileButton => "Open", "Abrir";
    SaveFileButton => "Save here", "Guardar aquí";
    NewFolder => "New folder", "Nueva carpeta";
    Refresh => "Refresh", "Actualizar";
    ParentFolder => "Parent folder", "Carpeta superior";
    FileLabel => "File:", "Archivo:";
    ShowHidden => "Show hidden files", "Mostrar archivos ocultos";
    EmptyProjectTitle => "This project has no excerpts yet", "Este proyecto aún no tiene fragmentos";
    EmptyProjectHelp => "Bring fieldwork in: an interview transcript (Word, LibreOffice, text, subtitles) with its translation, a spreadsheet of excerpts (CSV), or a project from NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA). Or make a case and type or paste excerpts.", "Traiga su trabajo de campo: la transcripción de una entrevista (Word, LibreOffice, texto, subtítulos) con su traducción, una hoja de cálculo de fragmentos (CSV) o un proyecto de NVivo, ATLAS.ti, MAXQDA o QualCoder (REFI-QDA). O cree un caso y escriba o pegue fragmentos.";
    EmptyProjectDrop => "You can also drop a transcript or a CSV file on this window.", "También puede soltar una transcripción o un archivo CSV en esta ventana.";
    EmptyProjectReader => "Nothing to read yet: import excerpts with the buttons on the left, or from the File menu.", "Aún no hay nada que leer: importe fragmentos con los botones de la izquierda o desde el menú Archivo.";
    NumberKey => "Number key", "Tecla numérica";
    NoKey => "None", "Ninguna";
    CodeKeyHelp => "The number key that applies this code; it stays with the code until you change it (code menu › Number key).", "La tecla numérica que aplica este código; se queda con el código hasta que usted la cambie (menú del código › Tecla numérica).";
    YourNameHint => "for example, Rosa M.", "por ejemplo, Rosa M.";
    NameRequired => "A name is needed: every coding records who made it.", "Hace falta un nombre: cada codificación registra quién la hizo.";
    MappingRemembered => "The columns chosen the last time this file was imported.", "Las columnas elegidas la última vez que se importó este archivo.";
    CoocHover => "{n} excerpts carry both · overlapping on {overlapping} · c = {c}", "{n} fragmentos llevan ambos · se superponen en {overlapping} · c = {c}";
    Legend => "Legend", "Leyenda";
    ConfirmDeleteExcerpt => "Delete the excerpt {name} and its {n} codings? Undo brings it back until the project is closed.", "¿Borrar el fragmento {name} y sus {n} codificaciones? Deshacer lo recupera hasta que se cierre el proyecto.";
    ExcerptMenu => "Excerpt", "Fragmento";
    SplitAtCursor => "Split at the cursor", "Dividir en el cursor";
    SplitHint => "Click in the text where the second part should start.", "Haga clic en el texto donde debe empezar la segunda parte.";
    JoinWithNext => "Join with the next excerpt", "Unir con el fragmento siguiente";
    MoveUp => "Move up", "Subir";
    MoveDown => "Move down", "Bajar";
    ShiftTranslationUp => "Shift the translation to the previous excerpt", "Pasar la traducción al fragmento anterior";
    ShiftTranslationDown => "Shift the translation to the next excerpt", "Pasar la traducción al fragmento siguiente";
    MoveToSource => "Move to source", "Mover a la fuente";
    DeleteExcerpt => "Delete excerpt…", "Borrar fragmento…";
    ActImportTranscript => "transcript import", "importación de una transcripción";
    TranscriptImported => "Imported {n} turns from {file} as source '{source}'", "Importados {n} turnos de {file} como fuente '{source}'";
    TranscriptTitle => "Import an interview transcript", "Importar la transcripción de una entrevista";
    NoTranslationFile => "none", "ninguna";
    ChooseTranslation => "Choose its translation…", "Elegir su traducción…";
    Description => "Description", "Descripción";
    TranscriptCounts => "{n} excerpts, {doubtful} doubtful", "{n} fragmentos, {doubtful} dudosos";
    InterviewerLabels => "Interviewer labels", "Etiquetas del entrevistador";
    InterviewerLabelsHint => "besides E, P, Entrevistador/a…", "además de E, P, Entrevistador/a…";
    CutInto => "One excerpt per", "Un fragmento por";
    CutTurns => "speaker turn", "turno de habla";
    CutParagraphs => "paragraph", "párrafo";
    InterviewerShort => "interviewer", "entrevistador";
    NoTextHere => "(none)", "(ninguno)";
    JoinNext => "Join with next", "Unir con el siguiente";
    SplitParagraph => "Split at the blank line", "Dividir en la línea en blanco";
    TranslationUp => "Translation ‹ up", "Traducción ‹ arriba";
    TranslationDown => "Translation › down", "Traducción › abajo";
    ImportTranscript => "Import transcript…", "Importar transcripción…";
    NewMenu => "New", "Nuevo";
    NewCase => "New case…", "Caso nuevo…";
    NewSource => "New source…", "Fuente nueva…";
    NewExcerpts => "New excerpts (type or paste)…", "Fragmentos nuevos (escribir o pegar)…";
    CutPastedIntoTurns => "Cut into speaker turns (a pasted transcript)", "Cortar en turnos de habla (una transcripción pegada)";
    ExcerptsToAdd => "{n} excerpts will be added", "Se añadirán {n} fragmentos";
    AlreadyImported => "{file} is already in the source '{source}' of case '{case}'. Import it again?", "{file} ya está en la fuente '{source}' del caso '{case}'. ¿Importarlo de nuevo?";
    ImportAgain => "Import it again", "Importarlo de nuevo";
    ActNewCase => "new case", "caso nuevo";
    ActNewSource => "new source", "fuente nueva";
    ActNewExcerpts => "new excerpts", "fragmentos nuevos";
    ActSplit => "splitting an excerpt", "división de un fragmento";
    ActJoin => "joining excerpts", "unión de fragmentos";
    ActMoveExcerpt => "moving an excerpt", "traslado de un fragmento";
    ActDeleteExcerpt => "deleting an excerpt", "borrado de un fragmento";
    ActShiftTranslation => "shifting a translation", "desplazamiento de una traducción";
    CodesMatched => "Code names read as codes of the codebook", "Nombres de códigos leídos como códigos del libro";
    CodesNew => "New codes (or choose a code of the codebook)", "Códigos nuevos (o elija un código del libro)";
    CreateIt => "Create it", "Crearlo";
    NobodyYet => "not set yet", "aún sin nombre";
    AndMore => "… and {n} more", "… y {n} más";
    KeysUp => "Up arrow or K", "Flecha arriba o K";
    KeysDown => "Down arrow or J", "Flecha abajo o J";
    KeysUpDown => "Up, Down  /  K, J", "Arriba, Abajo  /  K, J";
    ImportRefi => "Import REFI-QDA project or codebook…", "Importar proyecto o libro de códigos REFI-QDA…";
    ExportRefiProject => "Export project for other QDA tools (.qdpx)…", "Exportar proyecto para otros programas QDA (.qdpx)…";
    ExportRefiCodebook => "Export codebook (.qdc)…", "Exportar libro de códigos (.qdc)…";
    RefiImported => "Imported {file}: {codes} new codes, {sources} sources, {excerpts} excerpts, {codings} codings.", "Se importó {file}: {codes} códigos nuevos, {sources} fuentes, {excerpts} fragmentos, {codings} codificaciones.";
    RefiSkipped => "{n} sources that are not text (PDF, picture, audio or video) were left out.", "Se omitieron {n} fuentes que no son texto (PDF, imagen, audio o video).";
    RefiExported => "Exported {file} for other QDA tools.", "Se exportó {file} para otros programas QDA.";
    ActPseudonym => "pseudonym", "seudónimo";
    TabReader => "Read and code", "Leer y codificar";
    TabFrequencies => "Frequencies", "Frecuencias";
    TabCooccurrence => "Co-occurrence", "Coocurrencia";
    TabAttributes => "Attributes", "Atributos";
    GroupBy => "Group by", "Agrupar por";
    GroupCase => "case", "caso";
    GroupSource => "source", "fuente";
    GroupSpeaker => "speaker", "hablante";
    GroupRole => "role", "rol";
    WithChildren => "Count each code with its sub-codes", "Contar cada código con sus subcódigos";
    DateFrom => "From", "Desde";
    DateTo => "To", "Hasta";
    DateHint => "yyyy, yyyy-mm or yyyy-mm-dd", "aaaa, aaaa-mm o aaaa-mm-dd";
    BadDate => "not a date (yyyy, yyyy-mm or yyyy-mm-dd)", "no es una fecha (aaaa, aaaa-mm o aaaa-mm-dd)";
    Show => "Show", "Mostrar";
    MeasureExcerpts => "excerpts", "fragmentos";
    MeasureCodings => "codings", "codificaciones";
    MeasureShare => "share of the group", "proporción del grupo";
    MeasureSpeakers => "speakers", "hablantes";
    Chart => "Chart", "Gráfico";
    ChartGrouped => "grouped bars", "barras agrupadas";
    ChartStacked => "stacked bars", "barras apiladas";
    ChartHeatMap => "heat map", "mapa de calor";
    Total => "Total", "Total";
    GroupExcerpts => "excerpts in the group", "fragmentos del grupo";
    Computing => "Counting…", "Contando…";
    ExportTable => "Export table or chart…", "Exportar tabla o gráfico…";
    CellListed => "{what}: {n} excerpts listed on the left; click one to read it.", "{what}: {n} fragmentos en la lista de la izquierda; haga clic en uno para leerlo.";
    Listing => "Listing", "Lista";
    CoocHelp => "Each cell: excerpts carrying both codes; the shade and c = n12/(n1+n2−n12) say how strongly they go together. The diagonal counts each code's excerpts.", "Cada celda: fragmentos con ambos códigos; el tono y c = n12/(n1+n2−n12) indican cuánto van juntos. La diagonal cuenta los fragmentos de cada código.";
    NoCodingsYet => "Nothing is coded yet.", "Aún no hay nada codificado.";
    CaseAttributes => "Case attributes", "Atributos de los casos";
    SourceAttributes => "Source attributes", "Atributos de las fuentes";
    NewAttribute => "New attribute", "Atributo nuevo";
    AttributeType => "Type", "Tipo";
    TypeText => "text", "texto";
    TypeNumber => "number", "número";
    TypeDate => "date", "fecha";
    TypeBoolean => "yes/no", "sí/no";
    Yes => "yes", "sí";
    No => "no", "no";
    ImportAttributes => "Import attributes from CSV…", "Importar atributos desde CSV…";
    DeleteAttribute => "Delete attribute", "Eliminar atributo";
    RenameAttribute => "Rename attribute", "Renombrar atributo";
    AttributesHelp => "Values are checked against the attribute's type. Group frequencies by any attribute in the Frequencies view.", "Los valores se validan según el tipo del atributo. Agrupe las frecuencias por cualquier atributo en la vista Frecuencias.";
    AttributesImported => "Imported attributes from {file}.", "Se importaron atributos de {file}.";
    Names => "Speakers", "Hablantes";
    OnlyWhere => "Only where", "Solo donde";
    Pseudonym => "Pseudonym", "Seudónimo";
    PseudonymHelp => "How the speaker is named in exports; empty: \"Participant N\". It applies to all of the speaker's sources.", "Cómo se nombra al hablante en las exportaciones; vacío: \"Participant N\". Vale para todas sus fuentes.";
    NamesPseudonyms => "pseudonyms (recommended)", "seudónimos (recomendado)";
    NamesRoles => "role and place", "rol y lugar";
    NamesReal => "real names", "nombres reales";
    NamesWarning => "Real names will appear in the file.", "Los nombres reales aparecerán en el archivo.";
    SectionsBy => "Sections", "Secciones";
    SectionsByCode => "one per code", "una por código";
    SectionsByCase => "one per case", "una por caso";
    IncludeSubcodes => "include sub-codes", "incluir subcódigos";
    OnlySpeakers => "Only these speakers (none ticked: all)", "Solo estos hablantes (ninguno marcado: todos)";
    OnlyStatuses => "Only these translation statuses (none ticked: all)", "Solo estos estados de traducción (ninguno marcado: todos)";
    ReadExcerpt => "One excerpt", "Un fragmento";
    ReadSource => "Whole source", "Fuente completa";
    RecodePassageAs => "Re-code «{code}» as", "Recodificar «{code}» como";
    RemovePassage => "Remove «{code}»", "Quitar «{code}»";
    CodingsHere => "Codings here", "Codificaciones aquí";
    EditOriginal => "Edit the original", "Editar el original";
    EditTranslation => "Edit the translation", "Editar la traducción";
    EditedText => "Text being edited", "Texto en edición";
    FieldId => "Excerpt ID", "ID del fragmento";
    FieldRole => "Role", "Rol";
    FieldPlace => "Place", "Lugar";
    FieldDate => "Date", "Fecha";
    FieldInterviewer => "Interviewer", "Entrevistador(a)";
    FieldOriginalLang => "Language of the original", "Idioma del original";
    FieldTranslationLang => "Language of the translation", "Idioma de la traducción";
    FieldStatus => "Translation status", "Estado de la traducción";
    FieldCodes => "Codes", "Códigos";
    ReadOnly => "Read-only", "Solo lectura";
    ReadOnlyHelp => "The file, its folder or the disk cannot be written, so editing is off: you can read, search, count and export. To edit, copy the project somewhere you can write (File > Save a copy as…) and open the copy.", "No se puede escribir el archivo, su carpeta o el disco, así que la edición está desactivada: puede leer, buscar, contar y exportar. Para editar, copie el proyecto a un lugar donde pueda escribir (Archivo > Guardar una copia como…) y abra la copia.";
    OpenedReadOnly => "Opened {file} read-only: it cannot be written here, so editing is off.", "Se abrió {file} en solo lectura: aquí no se puede escribir, así que la edición está desactivada.";
    EditingOff => "This project is open read-only: editing is off. Copy it somewhere you can write to edit it.", "Este proyecto está abierto en solo lectura: la edición está desactivada. Cópielo a un lugar donde pueda escribir para editarlo.";
    CellsCut => "{n} excerpts were longer than a spreadsheet cell holds and were cut, marked […]: {ids}.", "{n} fragmentos eran más largos de lo que cabe en una celda y se cortaron, marcados con […]: {ids}.";
    RefiMissingTexts => "Left out, their text not being in the file: {names}.", "Se dejaron fuera, porque su texto no está en el archivo: {names}.";
    RefiUnknownUsers => "{n} users not declared in the file: their codings were attributed to {coder}.", "{n} usuarios no declarados en el archivo: sus codificaciones se atribuyeron a {coder}.";
    CoocShowing => "Showing the {n} codes in the most excerpts of the {m} that meet another; `quipu cooccur --csv` lists every pair.", "Se muestran los {n} códigos con más fragmentos de los {m} que coinciden con otro; `quipu cooccur --csv` lista todos los pares.";
    RemoveSpeakerMenu => "Remove a speaker's testimony…", "Quitar el testimonio de un hablante…";
    RemoveSpeakerHelp => "For an informant who withdraws consent: everything they said, and every source recorded with them, goes at once.", "Para un informante que retira su consentimiento: todo lo que dijo, y toda fuente grabada con él o ella, se va de una vez.";
    RemoveSpeakerTitle => "Remove a speaker's testimony", "Quitar el testimonio de un hablante";
    WhichSpeaker => "Speaker", "Hablante";
    ConfirmRemoveSpeaker => "Remove everything {name} said: {sources} sources, {excerpts} excerpts, {codings} codings and {memos} memos? Undo (Ctrl+Z) brings it back until the project is closed; after that, nothing of it can be recovered from the file.", "¿Quitar todo lo que dijo {name}: {sources} fuentes, {excerpts} fragmentos, {codings} codificaciones y {memos} memos? Deshacer (Ctrl+Z) lo recupera hasta que se cierre el proyecto; después no se puede recuperar nada del archivo.";
    ActRemoveSpeaker => "removing a speaker's testimony", "quitar el testimonio de un hablante";
    ShortRows => "{n} rows had fewer cells than the header (first: row {row}); their missing last cells are read as empty.", "{n} filas tenían menos celdas que el encabezado (la primera: fila {row}); sus últimas celdas faltantes se leen como vacías.";
    PassphraseTitle => "Passphrase", "Contraseña";
    PassphraseToOpen => "{file} is encrypted. Its passphrase opens it; it is kept only in memory while Quipu runs.", "{file} está cifrado. Su contraseña lo abre; solo se guarda en la memoria mientras Quipu está abierto.";
    PassphraseWrong => "That passphrase does not open this project.", "Esa contraseña no abre este proyecto.";
    PassphraseNew => "Choose a passphrase: a few words are easier to remember and harder to guess. If it is lost, the project cannot be opened, by anyone.", "Elija una contraseña: unas cuantas palabras son más fáciles de recordar y más difíciles de adivinar. Si se pierde, nadie podrá abrir el proyecto.";
    PassphraseAgain => "The same passphrase again", "La misma contraseña otra vez";
    PassphraseShort => "A passphrase needs at least 8 characters.", "Una contraseña necesita al menos 8 caracteres.";
    PassphraseDiffer => "The two passphrases differ.", "Las dos contraseñas no coinciden.";
    OpenWithPassphrase => "Open", "Abrir";
    EncryptProject => "Encrypt this project…", "Cifrar este proyecto…";
    ChangePassphrase => "Change passphrase…", "Cambiar la contraseña…";
    EncryptNow => "Encrypt", "Cifrar";
    ChangeNow => "Change", "Cambiar";
    Encrypted => "{file} is encrypted. Keep the passphrase safe.", "{file} está cifrado. Guarde bien la contraseña.";
    PassphraseChanged => "The passphrase of {file} was changed.", "Se cambió la contraseña de {file}.";
    Encrypting => "Encrypting {file}…", "Cifrando {file}…";
    TabAgreement => "Agreement", "Acuerdo";
    AgreementHelp => "How far coders agree, code by code: the share of units where they agree, Cohen's kappa (Fleiss' for three or more coders) and Krippendorff's alpha. Report these figures before settling: settling makes the coders agree on that excerpt.", "Cuánto coinciden los codificadores, código por código: la proporción de unidades en que coinciden, la kappa de Cohen (de Fleiss con tres o más) y el alfa de Krippendorff. Informe estas cifras antes de resolver: resolver hace que coincidan en ese fragmento.";
    AgreementCoders => "Coders compared:", "Codificadores comparados:";
    AgreementNeedsTwo => "Choose at least two coders. A colleague's coding comes in with File > Merge a coder's copy…", "Elija al menos dos codificadores. La codificación de una colega entra con Archivo > Fusionar la copia de un codificador…";
    LevelExcerpt => "By excerpt", "Por fragmento";
    LevelCharacter => "By character", "Por carácter";
    ColUnits => "Units", "Unidades";
    ColAgreement => "Agreement", "Acuerdo";
    ColKappa => "Kappa", "Kappa";
    ColAlpha => "Alpha", "Alfa";
    AgreementOverall => "All codes, pooled", "Todos los códigos, en conjunto";
    KappaBands => "Kappa (Landis and Koch): below 0 poor, up to 0.20 slight, 0.40 fair, 0.60 moderate, 0.80 substantial, above almost perfect. Empty: no variation, undefined.", "Kappa (Landis y Koch): menos de 0 pobre, hasta 0,20 leve, 0,40 aceptable, 0,60 moderado, 0,80 considerable, más arriba casi perfecto. Vacío: sin variación, indefinido.";
    PickAgreementCode => "Click a code to list the excerpts where the coders disagree on it.", "Haga clic en un código para ver los fragmentos en que los codificadores no coinciden.";
    Disagreements => "Excerpts where they disagree on {code}: {n}", "Fragmentos en que no coinciden en {code}: {n}";
    NoDisagreements => "The coders agree on every excerpt for this code.", "Los codificadores coinciden en todos los fragmentos para este código.";
    NotCoded => "did not apply it", "no lo aplicó";
    KeepCoders => "Keep {who}'s", "Quedarse con lo de {who}";
    KeepAll => "Keep all", "Quedarse con todo";
    RemoveCodeHere => "Remove the code", "Quitar el código";
    SettleHelp => "Settling gives every coder compared the same passages of this code here. Ctrl+Z undoes it.", "Resolver da a todos los codificadores comparados los mismos pasajes de este código aquí. Ctrl+Z lo deshace.";
    Compare => "Compare", "Comparar";
    OpenInReader => "Open in the reader", "Abrir en el lector";
    MergeCopy => "Merge a coder's copy…", "Fusionar la copia de un codificador…";
    MergeCopyHelp => "Brings in the codings, coders, new codes, memos and reviews of a copy coded elsewhere. Nothing is duplicated or overwritten; differences are listed to settle.", "Trae las codificaciones, codificadores, códigos nuevos, memos y revisiones de una copia codificada en otro lugar. No se duplica ni se sobrescribe nada; las diferencias se listan para resolverlas.";
    Merging => "Merging {file}…", "Fusionando {file}…";
    Merged => "Merged {file}: {codings} codings, {codes} new codes, {memos} memos, {reviews} translation reviews.", "Fusionado {file}: {codings} codificaciones, {codes} códigos nuevos, {memos} memos, {reviews} revisiones de traducción.";
    MergeNothingNew => "Nothing new: this copy's work is already here.", "Nada nuevo: el trabajo de esta copia ya está aquí.";
    MergeLeftOut => "{n} of the copy's excerpts are not in this project; {c} codings were left out.", "{n} fragmentos de la copia no están en este proyecto; se dejaron fuera {c} codificaciones.";
    MergeConflicts => "Both copies differ here ({n}); this project's version was kept:", "Las dos copias difieren aquí ({n}); se conservó la versión de este proyecto:";
    MergeTitle => "Merged copy", "Copia fusionada";
    HereVersion => "Here", "Aquí";
    CopyVersion => "In the copy", "En la copia";
    KeepOurs => "Keep this project's", "Conservar la de este proyecto";
    TakeTheirs => "Take the copy's", "Tomar la de la copia";
    SettledKept => "kept", "conservada";
    SettledTaken => "taken from the copy", "tomada de la copia";
    ActMerge => "merging a coder's copy", "fusión de la copia de un codificador";
    ActSettle => "settling a disagreement", "resolución de un desacuerdo";
    ActTakeTheirs => "taking the copy's version", "tomar la versión de la copia";
}

/// The interface's words in the chosen language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    /// The language.
    pub language: Language,
}

impl Tr {
    /// The text of a message.
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.language)
    }

    /// A message with `{name}` placeholders filled in.
    pub fn f(&self, msg: Msg, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = msg.text(self.language).to_owned();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    /// An undo step's label (stored in English) in the interface language.
    pub fn action(&self, label: &str) -> String {
        Msg::ALL
            .iter()
            .find(|msg| msg.text(Language::English) == label)
            .map_or_else(|| label.to_owned(), |msg| self.t(*msg).to_owned())
    }

    /// A translation status in words.
    pub fn status(&self, status: crate::model::TranslationStatus) -> &'static str {
        use crate::model::TranslationStatus as Status;
        self.t(match status {
            Status::Missing => Msg::Missing,
            Status::Draft => Msg::Draft,
            Status::Reviewed => Msg::Reviewed,
            Status::Disputed => Msg::Disputed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        for msg in Msg::ALL {
            let english = msg.text(Language::English);
            let spanish = msg.text(Language::Spanish);
            assert!(!english.is_empty() && !spanish.is_empty(), "{msg:?}");
            let placeholders = |text: &str| {
                let mut names: Vec<String> = text
                    .split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                    .collect();
                names.sort();
                names
            };
            assert_eq!(placeholders(english), placeholders(spanish), "{msg:?}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let tr = Tr { language: Language::Spanish };
        assert_eq!(tr.f(Msg::NOfMExcerpts, &[("n", &3), ("m", &60)]), "3 de 60 fragmentos");
    }
}
