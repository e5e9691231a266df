//! Controls the analysis views share: the name of a grouping and the filters (sub-codes, coder, status, attribute value,
//! dates) that decide what frequencies and co-occurrence count.

use egui::Ui;

use super::PanelContext;
use super::widgets::optional_choice_ui;
use crate::gui::i18n::{Msg, Tr};
use crate::gui::view_model::ViewModel;
use crate::gui::workspace::AnalysisState;
use crate::model::TranslationStatus;
use crate::store::Grouping;

/// The name of a grouping for people.
pub fn grouping_name(tr: Tr, view: &ViewModel, grouping: Grouping) -> String {
    match grouping {
        Grouping::Case | Grouping::All => tr.t(Msg::GroupCase).to_owned(),
        Grouping::Source => tr.t(Msg::GroupSource).to_owned(),
        Grouping::Speaker => tr.t(Msg::GroupSpeaker).to_owned(),
        Grouping::Role => tr.t(Msg::GroupRole).to_owned(),
        Grouping::CaseAttribute(id) | Grouping::SourceAttribute(id) => {
            view.attribute_name(id).unwrap_or_default().to_owned()
        }
    }
}

/// Filters shared by both views: sub-codes, coder, status, dates.
pub fn filter_controls_ui(ui: &mut Ui, app: &PanelContext<'_>, analysis: &mut AnalysisState, with_children: bool) {
    let tr = app.tr;
    let Some(view) = app.view else {
        return;
    };
    let mut filter = analysis.filter.clone();
    ui.horizontal_wrapped(|ui| {
        if with_children {
            ui.checkbox(&mut filter.with_children, tr.t(Msg::WithChildren));
        }
        let coders = view.coders.iter().map(|coder| (coder.coder_id, coder.name.clone()));
        optional_choice_ui(ui, tr, ("analysis_coder", tr.t(Msg::Coder)), None, &mut filter.coder_id, coders);
        let mut status = filter.statuses.first().copied();
        let statuses = TranslationStatus::ALL.into_iter().map(|status| (status, tr.status(status).to_owned()));
        optional_choice_ui(ui, tr, ("analysis_status", tr.t(Msg::Status)), None, &mut status, statuses);
        filter.statuses = status.into_iter().collect();
        attribute_filter_ui(ui, tr, view, &mut filter.attribute);
        for (msg, text, target) in [
            (Msg::DateFrom, &mut analysis.date_from_text, &mut filter.date_from),
            (Msg::DateTo, &mut analysis.date_to_text, &mut filter.date_to),
        ] {
            let label = ui.label(tr.t(msg));
            let response = ui
                .add(egui::TextEdit::singleline(text).hint_text(tr.t(Msg::DateHint)).desired_width(96.0))
                .labelled_by(label.id);
            let typed = text.trim();
            if typed.is_empty() {
                *target = None;
            } else if crate::model::is_partial_date(typed) {
                *target = Some(typed.to_owned());
            } else if !response.has_focus() {
                ui.colored_label(ui.visuals().error_fg_color, tr.t(Msg::BadDate));
            }
        }
    });
    analysis.filter = filter;
}

/// "Only where [attribute] is [value]".
fn attribute_filter_ui(
    ui: &mut Ui,
    tr: Tr,
    view: &ViewModel,
    chosen: &mut Option<(crate::model::AttributeId, String)>,
) {
    if view.attributes.is_empty() {
        return;
    }
    let mut attribute = chosen.as_ref().map(|(id, _)| *id);
    let attributes = view.attributes.iter().map(|item| (item.attribute_id, item.name.clone()));
    optional_choice_ui(ui, tr, ("analysis_attribute", tr.t(Msg::OnlyWhere)), None, &mut attribute, attributes);
    let Some(attribute_id) = attribute else {
        *chosen = None;
        return;
    };
    let mut values: Vec<&String> =
        view.attribute_values.iter().filter(|((id, _), _)| *id == attribute_id).map(|(_, value)| value).collect();
    values.sort();
    values.dedup();
    let mut value = chosen.as_ref().filter(|(id, _)| *id == attribute_id).map(|(_, value)| value.clone());
    if value.is_none() {
        value = values.first().map(|v| (*v).clone());
    }
    let label = ui.label("=");
    egui::ComboBox::from_id_salt("analysis_attribute_value")
        .selected_text(value.clone().unwrap_or_default())
        .show_ui(ui, |ui| {
            for item in values {
                ui.selectable_value(&mut value, Some(item.clone()), item);
            }
        })
        .response
        .labelled_by(label.id);
    *chosen = value.map(|value| (attribute_id, value));
}
