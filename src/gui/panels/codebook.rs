//! The codebook panel: the code hierarchy with colours, definitions and live
//! counts. Clicking a code applies it; each code's menu renames, recolours,
//! describes, moves, merges and deletes it; dragging a code onto another moves it
//! under that one.

use egui::{Color32, Panel, RichText, Sense, Stroke, Ui, vec2};

use super::PanelContext;
use super::widgets::{dialog_max_size, side_panel};
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::state::{CodeDialog, CodebookState, Confirm};
use crate::gui::theme;
use crate::gui::view_model::CodeRow;
use crate::model::{CodeId, Color};
use crate::store::{CODE_KEYS, Filter};

/// A code being dragged onto another.
#[derive(Debug, Clone, Copy)]
struct DraggedCode(CodeId);

/// Draws the right panel. It can be resized, and hidden from the View menu.
pub fn codebook_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>, state: &mut CodebookState) {
    let tr = app.tr;
    side_panel(Panel::right("codebook"), ui, 240.0, 290.0, 0.4).show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading(tr.t(Msg::Codebook));
            ui.weak("(?)").on_hover_text(tr.t(Msg::CodesHelp));
        });
        new_code_ui(ui, app, state);
        ui.separator();
        let Some(view) = app.view else {
            return;
        };
        let rows = &view.codes;
        egui::ScrollArea::vertical().id_salt("codebook_rows").auto_shrink([false, false]).show(ui, |ui| {
            for row in rows {
                code_row_ui(ui, app, state, tr, rows, row);
            }
            // Dropping a code below the list moves it to the top level.
            if !egui::DragAndDrop::has_payload_of_type::<DraggedCode>(ui.ctx()) {
                return;
            }
            let (_, dropped) = ui.dnd_drop_zone::<DraggedCode, _>(egui::Frame::NONE, |ui| {
                ui.allocate_space(vec2(ui.available_width(), 36.0));
            });
            if let Some(dragged) = dropped {
                app.push(AppCommand::Edit(Edit::MoveCode { code_id: dragged.0, parent_id: None }));
            }
        });
    });
}

fn new_code_ui(ui: &mut Ui, app: &mut PanelContext<'_>, state: &mut CodebookState) {
    let tr = app.tr;
    ui.horizontal(|ui| {
        let label = ui.label(tr.t(Msg::NewCode));
        // Right to left: the button takes its width first, the field the rest.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let add = ui.button(tr.t(Msg::Add));
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut state.new_code_name)
                        .hint_text(tr.t(Msg::NewCodeHint))
                        .desired_width(ui.available_width()),
                )
                .labelled_by(label.id);
            let entered = response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
            if (add.clicked() || entered) && !state.new_code_name.trim().is_empty() {
                app.push(AppCommand::Edit(Edit::AddCode {
                    name: state.new_code_name.trim().to_owned(),
                    parent_id: None,
                }));
                state.new_code_name.clear();
            }
        });
    });
}

fn code_row_ui(
    ui: &mut Ui,
    app: &mut PanelContext<'_>,
    state: &mut CodebookState,
    tr: Tr,
    rows: &[CodeRow],
    row: &CodeRow,
) {
    let code = &row.code;
    let drag_id = egui::Id::unique(("drag_code", code.code_id));
    let highlighted = state.highlighted == Some(code.code_id);
    let response = ui
        .horizontal(|ui| {
            ui.add_space(row.depth as f32 * 16.0);
            let shortcut = row.key.map_or_else(|| " ".to_owned(), |key| key.to_string());
            ui.weak(RichText::new(shortcut).monospace()).on_hover_text(tr.t(Msg::CodeKeyHelp));
            ui.dnd_drag_source(drag_id, DraggedCode(code.code_id), |ui| {
                let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
                ui.painter().rect(rect, 3.0, theme::color32(code.color), Stroke::NONE, egui::StrokeKind::Inside);
            })
            .response
            .on_hover_text(tr.t(Msg::MoveUnder));
            // Fixed widths: name, count, menu. A layout that asked for more than the
            // panel has would make the panel grow frame after frame. A name cut short
            // shows whole, with its parents, on hover.
            let name_width = (ui.available_width() - 84.0).max(40.0);
            let height = ui.spacing().interact_size.y;
            let name = ui
                .allocate_ui_with_layout(vec2(name_width, height), egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.set_width(name_width);
                    ui.add(egui::Button::new(RichText::new(&code.name)).frame(false).selected(highlighted).wrap())
                })
                .inner
                .on_hover_text(hover_text(tr, row));
            if state.reveal == Some(code.code_id) {
                name.scroll_to_me(Some(egui::Align::Center));
                state.reveal = None;
            }
            if name.clicked() {
                state.highlighted = None;
                app.push(AppCommand::ApplyCode(code.code_id));
            }
            ui.allocate_ui_with_layout(vec2(30.0, height), egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let count = RichText::new(row.excerpts.to_string()).monospace();
                ui.weak(count).on_hover_text(format!("{} / {}", tr.t(Msg::Excerpts), tr.t(Msg::Codings)));
            });
            ui.menu_button("…", |ui| code_menu_ui(ui, app, tr, rows, row))
                .response
                .accessible_name(tr.f(Msg::CodeMenu, &[("name", &code.name)]))
                .on_hover_text(tr.t(Msg::CodeProperties));
        })
        .response;
    // Drop another code here to move it under this one.
    if let Some(dragged) = response.dnd_release_payload::<DraggedCode>()
        && dragged.0 != code.code_id
    {
        app.push(AppCommand::Edit(Edit::MoveCode { code_id: dragged.0, parent_id: Some(code.code_id) }));
    }
    if response.dnd_hover_payload::<DraggedCode>().is_some() {
        ui.painter().rect_stroke(
            response.rect,
            3.0,
            Stroke::new(1.5, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Inside,
        );
    }
}

fn hover_text(tr: Tr, row: &CodeRow) -> String {
    let mut text = format!("{}\n\n{}", row.path, row.code.description);
    if !row.memo.is_empty() {
        text.push_str(&format!("\n\n{}: {}", tr.t(Msg::Memo), row.memo));
    }
    text.push_str(&format!(
        "\n\n{} {} · {} {}",
        row.excerpts,
        tr.t(Msg::Excerpts).to_lowercase(),
        row.codings,
        tr.t(Msg::Codings).to_lowercase()
    ));
    text.trim().to_owned()
}

fn code_menu_ui(ui: &mut Ui, app: &mut PanelContext<'_>, tr: Tr, rows: &[CodeRow], row: &CodeRow) {
    let code_id = row.code.code_id;
    if ui.button(tr.t(Msg::CodeProperties)).clicked() {
        app.push(AppCommand::OpenCodeDialog(code_id));
    }
    if ui.button(tr.t(Msg::ShowExcerpts)).clicked() {
        app.push(AppCommand::SetFilter(Filter { codes: vec![code_id], with_children: true, ..Filter::default() }));
    }
    if ui.button(tr.t(Msg::AddSubcode)).clicked() {
        let name = unique_name(rows, &format!("{} ›", row.code.name));
        app.push(AppCommand::Edit(Edit::AddCode { name, parent_id: Some(code_id) }));
    }
    ui.menu_button(tr.t(Msg::NumberKey), |ui| {
        if ui.radio(row.key.is_none(), tr.t(Msg::NoKey)).clicked() && row.key.is_some() {
            app.push(AppCommand::Edit(Edit::SetCodeKey { code_id, key: None }));
        }
        for key in CODE_KEYS {
            let holder = rows.iter().find(|other| other.key == Some(key) && other.code.code_id != code_id);
            let label = match holder {
                Some(other) => format!("{key} ({})", other.label),
                None => key.to_string(),
            };
            if ui.radio(row.key == Some(key), label).clicked() && row.key != Some(key) {
                app.push(AppCommand::Edit(Edit::SetCodeKey { code_id, key: Some(key) }));
            }
        }
    });
    ui.separator();
    let below = descendants(rows, code_id);
    ui.menu_button(tr.t(Msg::MoveUnder), |ui| {
        egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            for other in rows {
                let allowed = !below.contains(&other.code.code_id) && row.code.parent_id != Some(other.code.code_id);
                if ui.add_enabled(allowed, egui::Button::new(&other.label)).on_hover_text(&other.path).clicked() {
                    app.push(AppCommand::Edit(Edit::MoveCode { code_id, parent_id: Some(other.code.code_id) }));
                }
            }
        });
    });
    if row.code.parent_id.is_some() && ui.button(tr.t(Msg::MoveToTop)).clicked() {
        app.push(AppCommand::Edit(Edit::MoveCode { code_id, parent_id: None }));
    }
    ui.menu_button(tr.t(Msg::MergeInto), |ui| {
        egui::ScrollArea::vertical().max_height(300.0).show(ui, |ui| {
            for other in rows {
                let allowed = !below.contains(&other.code.code_id);
                if ui.add_enabled(allowed, egui::Button::new(&other.label)).on_hover_text(&other.path).clicked() {
                    app.push(AppCommand::Confirm(Confirm::MergeCodes { source: code_id, target: other.code.code_id }));
                }
            }
        });
    });
    ui.separator();
    let delete = egui::Button::new(RichText::new(tr.t(Msg::DeleteCode)).color(ui.visuals().error_fg_color));
    if ui.add(delete).clicked() {
        app.push(AppCommand::Confirm(Confirm::DeleteCode(code_id)));
    }
}

/// A code and every code below it.
fn descendants(rows: &[CodeRow], code_id: CodeId) -> Vec<CodeId> {
    let mut found = vec![code_id];
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(rows.iter().filter(|row| row.code.parent_id == Some(parent)).map(|row| row.code.code_id));
        index += 1;
    }
    found
}

/// `base`, or `base 2`, `base 3` … whichever is free.
fn unique_name(rows: &[CodeRow], base: &str) -> String {
    let taken = |name: &str| rows.iter().any(|row| row.code.name.eq_ignore_ascii_case(name));
    if !taken(base) {
        return base.to_owned();
    }
    (2..).map(|n| format!("{base} {n}")).find(|name| !taken(name)).unwrap_or_default()
}

/// Draws the code properties dialog; pushes the edit when saved.
pub fn code_dialog_ui(ctx: &egui::Context, app: &mut PanelContext<'_>, open: &mut Option<CodeDialog>) {
    let tr = app.tr;
    let Some(dialog) = open.as_mut() else {
        return;
    };
    let mut close = false;
    let mut save = false;
    let max = dialog_max_size(ctx);
    let modal = egui::Modal::new(egui::Id::unique("code_dialog")).show(ctx, |ui| {
        ui.set_width(420.0f32.min(max.x - 32.0));
        ui.heading(tr.t(Msg::CodeProperties));
        egui::Grid::new("code_dialog_grid").num_columns(2).spacing(vec2(10.0, 8.0)).show(ui, |ui| {
            let label = ui.label(tr.t(Msg::Name));
            ui.add(egui::TextEdit::singleline(&mut dialog.name).desired_width(300.0)).labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.t(Msg::Colour));
            ui.horizontal(|ui| {
                ui.color_edit_button_srgb(&mut dialog.color).labelled_by(label.id);
                for color in Color::PALETTE {
                    let swatch = egui::Button::new("")
                        .fill(Color32::from_rgb(color.r, color.g, color.b))
                        .min_size(vec2(16.0, 16.0));
                    if ui.add(swatch).on_hover_text(color.to_string()).clicked() {
                        dialog.color = [color.r, color.g, color.b];
                    }
                }
            });
            ui.end_row();
            let label = ui.label(tr.t(Msg::Definition));
            ui.add(egui::TextEdit::multiline(&mut dialog.description).desired_width(300.0).desired_rows(3))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.t(Msg::Memo));
            ui.add(egui::TextEdit::multiline(&mut dialog.memo).desired_width(300.0).desired_rows(3))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.t(Msg::NumberKey));
            let shown = dialog.key.map_or_else(|| tr.t(Msg::NoKey).to_owned(), |key| key.to_string());
            egui::ComboBox::from_id_salt("code_dialog_key")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut dialog.key, None, tr.t(Msg::NoKey));
                    for key in CODE_KEYS {
                        ui.selectable_value(&mut dialog.key, Some(key), key.to_string());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(tr.t(Msg::Save)).clicked() {
                save = true;
            }
            if ui.button(tr.t(Msg::Cancel)).clicked() {
                close = true;
            }
        });
    });
    if save {
        let [r, g, b] = dialog.color;
        app.push(AppCommand::Edit(Edit::UpdateCode {
            code_id: dialog.code_id,
            name: dialog.name.trim().to_owned(),
            color: Color::rgb(r, g, b),
            description: dialog.description.trim().to_owned(),
            memo: dialog.memo.trim().to_owned(),
            key: dialog.key,
        }));
        close = true;
    }
    if close || modal.should_close() {
        *open = None;
    }
}
