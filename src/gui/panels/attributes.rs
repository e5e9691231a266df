//! The attributes view: a table of cases (and one of sources) by their
//! attributes, each value edited in place with a widget for its type, checked
//! before it is saved; attributes added, renamed, retyped and deleted; and
//! attributes imported from a CSV file.

use egui::{CentralPanel, RichText, Ui, vec2};

use super::PanelContext;
use crate::gui::command::{AppCommand, Edit};
use crate::gui::i18n::{Msg, Tr};
use crate::gui::jobs::PickPurpose;
use crate::model::{AttributeScope, AttributeType};
use crate::store::Attribute;

fn type_name(tr: Tr, value_type: AttributeType) -> &'static str {
    tr.t(match value_type {
        AttributeType::Text => Msg::TypeText,
        AttributeType::Number => Msg::TypeNumber,
        AttributeType::Date => Msg::TypeDate,
        AttributeType::Boolean => Msg::TypeBoolean,
    })
}

const TYPES: [AttributeType; 4] =
    [AttributeType::Text, AttributeType::Number, AttributeType::Date, AttributeType::Boolean];

/// The new-attribute form's fields.
#[derive(Debug, Clone, Default)]
struct NewAttribute {
    name: String,
    scope_is_source: bool,
    value_type: Option<AttributeType>,
}

/// Draws the attributes view.
pub fn attributes_panel_ui(ui: &mut Ui, app: &mut PanelContext<'_>) {
    let tr = app.tr;
    CentralPanel::default().show(ui, |ui| {
        ui.add(egui::Label::new(RichText::new(tr.t(Msg::AttributesHelp)).weak()).wrap());
        new_attribute_ui(ui, app);
        ui.separator();
        egui::ScrollArea::both().id_salt("attributes").auto_shrink([false, false]).show(ui, |ui| {
            for scope in [AttributeScope::Case, AttributeScope::Source] {
                ui.heading(tr.t(if scope == AttributeScope::Case {
                    Msg::CaseAttributes
                } else {
                    Msg::SourceAttributes
                }));
                attribute_table_ui(ui, app, scope);
                ui.add_space(12.0);
            }
        });
    });
}

fn new_attribute_ui(ui: &mut Ui, app: &mut PanelContext<'_>) {
    let tr = app.tr;
    let id = ui.make_persistent_id("new_attribute");
    let mut form: NewAttribute =
        ui.data_mut(|data| data.get_temp::<NewAttributeData>(id)).map(|d| d.0).unwrap_or_default();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr.t(Msg::NewAttribute));
        ui.add(egui::TextEdit::singleline(&mut form.name).desired_width(160.0)).labelled_by(label.id);
        ui.radio_value(&mut form.scope_is_source, false, tr.t(Msg::Cases));
        ui.radio_value(&mut form.scope_is_source, true, tr.t(Msg::Source));
        let label = ui.label(tr.t(Msg::AttributeType));
        let value_type = form.value_type.unwrap_or(AttributeType::Text);
        let mut chosen = value_type;
        egui::ComboBox::from_id_salt("new_attribute_type")
            .selected_text(type_name(tr, value_type))
            .show_ui(ui, |ui| {
                for choice in TYPES {
                    ui.selectable_value(&mut chosen, choice, type_name(tr, choice));
                }
            })
            .response
            .labelled_by(label.id);
        form.value_type = Some(chosen);
        if ui.add_enabled(!form.name.trim().is_empty(), egui::Button::new(tr.t(Msg::Add))).clicked() {
            let scope = if form.scope_is_source { AttributeScope::Source } else { AttributeScope::Case };
            app.push(AppCommand::Edit(Edit::AddAttribute {
                scope,
                name: form.name.trim().to_owned(),
                value_type: chosen,
            }));
            form.name.clear();
        }
        ui.separator();
        if ui.button(tr.t(Msg::ImportAttributes)).clicked() {
            app.push(AppCommand::Pick(PickPurpose::ImportAttributes));
        }
    });
    ui.data_mut(|data| data.insert_temp(id, NewAttributeData(form)));
}

/// The form kept in egui's temporary memory between frames.
#[derive(Clone, Default)]
struct NewAttributeData(NewAttribute);

fn attribute_table_ui(ui: &mut Ui, app: &mut PanelContext<'_>, scope: AttributeScope) {
    let tr = app.tr;
    let Some(view) = app.view else {
        return;
    };
    let attributes: Vec<&Attribute> = view.attributes.iter().filter(|a| a.scope == scope).collect();
    let owners: Vec<(i64, String)> = match scope {
        AttributeScope::Case => view.cases.iter().map(|case| (case.case_id.0, case.name.clone())).collect(),
        AttributeScope::Source => view
            .sources
            .iter()
            .map(|source| (source.source_id.0, format!("{} / {}", view.case_name(source.case_id), source.name)))
            .collect(),
    };
    let values = &view.attribute_values;
    let pseudonyms: Vec<(&str, &str)> =
        view.sources.iter().map(|source| (source.speaker.as_str(), source.pseudonym.as_str())).collect();
    let mut edits = Vec::new();
    egui::Grid::new(("attribute_grid", scope.as_str())).striped(true).spacing(vec2(12.0, 4.0)).show(ui, |ui| {
        ui.strong(tr.t(if scope == AttributeScope::Case { Msg::Case } else { Msg::Source }));
        if scope == AttributeScope::Source {
            ui.strong(tr.t(Msg::Speaker));
            ui.strong(tr.t(Msg::Pseudonym)).on_hover_text(tr.t(Msg::PseudonymHelp));
        }
        for attribute in attributes.iter().copied() {
            ui.horizontal(|ui| {
                ui.strong(&attribute.name);
                ui.weak(format!("({})", type_name(tr, attribute.value_type)));
                ui.menu_button("…", |ui| attribute_menu_ui(ui, tr, attribute, &mut edits))
                    .response
                    .accessible_name(format!("{}: {}", attribute.name, tr.t(Msg::AttributeType)));
            });
        }
        ui.end_row();
        for (row, (owner, name)) in owners.iter().enumerate() {
            ui.label(name);
            if scope == AttributeScope::Source {
                let (speaker, pseudonym) = pseudonyms[row];
                ui.label(speaker);
                // Pseudonyms are edited like a text attribute of the source.
                let pseudonym_field = Attribute {
                    attribute_id: crate::model::AttributeId(-1),
                    scope,
                    name: tr.t(Msg::Pseudonym).to_owned(),
                    value_type: AttributeType::Text,
                };
                if let Some(value) = value_editor_ui(ui, tr, &pseudonym_field, *owner, name, pseudonym)
                    && value != pseudonym
                {
                    edits.push(Edit::SetPseudonym { source_id: crate::model::SourceId(*owner), pseudonym: value });
                }
            }
            for attribute in attributes.iter().copied() {
                let saved = values.get(&(attribute.attribute_id, *owner)).cloned().unwrap_or_default();
                if let Some(value) = value_editor_ui(ui, tr, attribute, *owner, name, &saved)
                    && value != saved
                {
                    edits.push(Edit::SetAttributeValue { attribute_id: attribute.attribute_id, owner: *owner, value });
                }
            }
            ui.end_row();
        }
    });
    app.commands.extend(edits.into_iter().map(AppCommand::Edit));
}

fn attribute_menu_ui(ui: &mut Ui, tr: Tr, attribute: &Attribute, edits: &mut Vec<Edit>) {
    let id = ui.make_persistent_id(("rename_attribute", attribute.attribute_id));
    let mut name: String = ui.data_mut(|data| data.get_temp::<String>(id)).unwrap_or_else(|| attribute.name.clone());
    ui.horizontal(|ui| {
        let label = ui.label(tr.t(Msg::RenameAttribute));
        ui.add(egui::TextEdit::singleline(&mut name).desired_width(140.0)).labelled_by(label.id);
        if ui.button(tr.t(Msg::Save)).clicked() && name.trim() != attribute.name {
            edits.push(Edit::RenameAttribute { attribute_id: attribute.attribute_id, name: name.trim().to_owned() });
            ui.close();
        }
    });
    ui.data_mut(|data| data.insert_temp(id, name));
    ui.menu_button(tr.t(Msg::AttributeType), |ui| {
        for choice in TYPES {
            if ui.radio(attribute.value_type == choice, type_name(tr, choice)).clicked()
                && attribute.value_type != choice
            {
                edits.push(Edit::RetypeAttribute { attribute_id: attribute.attribute_id, value_type: choice });
            }
        }
    });
    if ui.button(RichText::new(tr.t(Msg::DeleteAttribute)).color(ui.visuals().error_fg_color)).clicked() {
        edits.push(Edit::DeleteAttribute { attribute_id: attribute.attribute_id });
    }
}

/// One value's editor; returns the value to save when the person is done with it.
fn value_editor_ui(
    ui: &mut Ui,
    tr: Tr,
    attribute: &Attribute,
    owner: i64,
    owner_name: &str,
    saved: &str,
) -> Option<String> {
    let accessible = format!("{} · {owner_name}", attribute.name);
    if attribute.value_type == AttributeType::Boolean {
        let mut value = saved.to_owned();
        let shown = match value.as_str() {
            "yes" => tr.t(Msg::Yes),
            "no" => tr.t(Msg::No),
            _ => "",
        };
        egui::ComboBox::from_id_salt(("bool_value", attribute.attribute_id, owner))
            .selected_text(shown)
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut value, String::new(), "");
                ui.selectable_value(&mut value, "yes".to_owned(), tr.t(Msg::Yes));
                ui.selectable_value(&mut value, "no".to_owned(), tr.t(Msg::No));
            })
            .response
            .accessible_name(accessible);
        return (value != saved).then_some(value);
    }
    let id = ui.make_persistent_id(("attribute_value", attribute.attribute_id, owner));
    let mut draft: String = ui.data_mut(|data| data.get_temp::<String>(id)).unwrap_or_else(|| saved.to_owned());
    let check = attribute.value_type.normalize_value(&draft);
    let mut edit = egui::TextEdit::singleline(&mut draft).desired_width(150.0);
    if check.is_err() {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    let response = ui.add(edit).accessible_name(accessible);
    if let Err(message) = &check {
        response.clone().on_hover_text(message.get(tr.language));
    }
    if response.has_focus() {
        ui.data_mut(|data| data.insert_temp(id, draft));
        return None;
    }
    if response.lost_focus() {
        match check {
            Ok(value) => {
                ui.data_mut(|data| data.remove::<String>(id));
                return Some(value);
            }
            // A value that does not fit the type is not saved; it stays, in red.
            Err(_) => {
                ui.data_mut(|data| data.insert_temp(id, draft));
            }
        }
    }
    None
}
