//! Small widgets the panels share: a labelled drop-down, a drop-down with an
//! "any" choice, the size a dialog may take, side panels and information
//! windows that fit a small screen.

use egui::{Sense, Ui, vec2};

use crate::gui::i18n::{Msg, Tr};

/// A label and a drop-down choosing `value` among `options`, the drop-down
/// named by the label for screen readers (and tests).
pub fn labelled_choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    tr: Tr,
    label: Msg,
    id: &str,
    value: &mut T,
    options: &[(T, Msg)],
) {
    let label = ui.label(tr.t(label));
    let shown = options.iter().find(|(option, _)| option == value).map_or("", |(_, msg)| tr.t(*msg));
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (option, msg) in options {
                ui.selectable_value(value, *option, tr.t(*msg));
            }
        })
        .response
        .labelled_by(label.id);
}

/// A label and a drop-down choosing one of `options` or "any" (`None`), named
/// by the label for screen readers (and tests). In a two-column grid, the label
/// and the drop-down take one cell each. `width` is the drop-down's, or egui's
/// usual width when `None`.
pub fn optional_choice_ui<T: PartialEq + Clone>(
    ui: &mut Ui,
    tr: Tr,
    (id, label): (&str, &str),
    width: Option<f32>,
    chosen: &mut Option<T>,
    options: impl IntoIterator<Item = (T, String)>,
) {
    let label = ui.label(label);
    let options: Vec<(T, String)> = options.into_iter().collect();
    let shown = chosen
        .as_ref()
        .and_then(|value| options.iter().find(|(option, _)| option == value))
        .map_or_else(|| tr.t(Msg::Any).to_owned(), |(_, name)| name.clone());
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(width.unwrap_or(ui.spacing().combo_width))
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, tr.t(Msg::Any));
            for (option, name) in options {
                ui.selectable_value(chosen, Some(option), name);
            }
        })
        .response
        .labelled_by(label.id);
}

/// The largest size a dialog may take in this window, leaving a margin, so that
/// its buttons stay on screen on a small laptop.
pub fn dialog_max_size(ctx: &egui::Context) -> egui::Vec2 {
    let screen = ctx.content_rect().size();
    vec2((screen.x - 40.0).max(200.0), (screen.y - 60.0).max(160.0))
}

/// A side panel that can be resized: narrower by default on a small screen
/// (under 1200 points), and never wider than `max_share` of the window.
pub fn side_panel(panel: egui::Panel, ui: &Ui, narrow: f32, wide: f32, max_share: f32) -> egui::Panel {
    let available = ui.available_width();
    panel
        .resizable(true)
        .default_size(if available < 1200.0 { narrow } else { wide })
        .min_size(narrow * 0.75)
        .max_size(available * max_share)
}

/// A window of information (shortcuts, about) that fits the screen.
pub fn info_window<'open>(ctx: &egui::Context, title: &str, open: &'open mut bool) -> egui::Window<'open> {
    egui::Window::new(title).open(open).resizable(false).collapsible(false).max_size(dialog_max_size(ctx)).vscroll(true)
}

/// The small triangle beside a sorted column's header: down for descending.
pub fn sort_marker(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(vec2(9.0, 9.0), Sense::hover());
    let color = ui.visuals().text_color();
    let (top, bottom) = (rect.top(), rect.bottom());
    let points = if descending {
        vec![egui::pos2(rect.left(), top), egui::pos2(rect.right(), top), egui::pos2(rect.center().x, bottom)]
    } else {
        vec![egui::pos2(rect.left(), bottom), egui::pos2(rect.right(), bottom), egui::pos2(rect.center().x, top)]
    };
    ui.painter().add(egui::Shape::convex_polygon(points, color, egui::Stroke::NONE));
}
