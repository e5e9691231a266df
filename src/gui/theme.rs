//! Looks: text sizes and spacing tuned for reading long Spanish testimony, and the
//! conversion of code colours to highlight colours for either theme.

use egui::{Color32, FontFamily, FontId, TextStyle};

use crate::model::Color;

/// Adds the emoji fonts egui's own default set leaves out, as fallbacks: the
/// file chooser marks files, folders and buttons with them.
pub fn install_fallback_fonts(ctx: &egui::Context) {
    for (name, bytes) in [
        ("NotoEmoji-Regular", epaint_default_fonts::NOTO_EMOJI_REGULAR),
        ("emoji-icon-font", epaint_default_fonts::EMOJI_ICON),
    ] {
        ctx.add_font(egui::epaint::text::FontInsert::new(
            name,
            egui::FontData::from_static(bytes),
            vec![egui::epaint::text::InsertFontFamily {
                family: FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Lowest,
            }],
        ));
    }
}

/// Applies text sizes and spacing to both themes.
pub fn apply(ctx: &egui::Context, body_size: f32) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Heading, FontId::new(body_size + 5.0, FontFamily::Proportional)),
            (TextStyle::Body, FontId::new(body_size, FontFamily::Proportional)),
            (TextStyle::Monospace, FontId::new(body_size - 1.0, FontFamily::Monospace)),
            (TextStyle::Button, FontId::new(body_size - 1.0, FontFamily::Proportional)),
            (TextStyle::Small, FontId::new(body_size - 3.0, FontFamily::Proportional)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
    });
}

/// A heat-map cell's fill: the panel's ground at 0, deep teal at 1.
pub fn heat(strength: f32, dark_mode: bool) -> Color32 {
    let ground = if dark_mode { Color32::from_rgb(40, 44, 52) } else { Color32::WHITE };
    ground.lerp_to_gamma(Color32::from_rgb(22, 110, 120), strength.clamp(0.0, 1.0))
}

/// A small square of a code's colour, `size` points wide, as legends show it.
pub fn swatch(ui: &mut egui::Ui, color: Color, size: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    ui.painter().rect_filled(rect, (size / 4.0).floor(), color32(color));
}

/// A code's colour as egui draws it.
pub fn color32(color: Color) -> Color32 {
    Color32::from_rgb(color.r, color.g, color.b)
}

/// The background of a coded passage: the code colour, light enough to read
/// through. `strength` 1.0 for the coded words, less for their translation.
pub fn highlight(color: Color, dark_mode: bool, strength: f32) -> Color32 {
    let alpha = if dark_mode { 0.45 } else { 0.32 } * strength;
    Color32::from_rgb(color.r, color.g, color.b).gamma_multiply(alpha)
}

/// The soft background of the sentence pair under the pointer.
pub fn hovered_pair(dark_mode: bool) -> Color32 {
    if dark_mode { Color32::from_white_alpha(18) } else { Color32::from_black_alpha(14) }
}

/// A code's colour as text on the panel background: darker on light, lighter on
/// dark, so dark codes stay legible in the dark theme and pale ones in the light.
pub fn readable(color: Color, dark_mode: bool) -> Color32 {
    let mix = |channel: u8, toward: u8, amount: f32| {
        (channel as f32 + (toward as f32 - channel as f32) * amount).round() as u8
    };
    let (toward, amount) = if dark_mode { (255, 0.45) } else { (0, 0.25) };
    Color32::from_rgb(mix(color.r, toward, amount), mix(color.g, toward, amount), mix(color.b, toward, amount))
}

/// The background of words matching the search.
pub fn search_match(dark_mode: bool) -> Color32 {
    if dark_mode { Color32::from_rgba_unmultiplied(230, 200, 60, 90) } else { Color32::from_rgb(255, 236, 150) }
}

/// The underline of words matching the search.
pub fn search_match_line(dark_mode: bool) -> Color32 {
    if dark_mode { Color32::from_rgb(240, 210, 90) } else { Color32::from_rgb(200, 140, 0) }
}

/// The background of a kappa by the bands of Landis and Koch: red below 0
/// (poor), through orange and yellow, to green above 0.8 (almost perfect).
pub fn kappa_band(kappa: f64, dark_mode: bool) -> Color32 {
    let color = match kappa {
        k if k < 0.0 => Color32::from_rgb(200, 70, 60),
        k if k <= 0.2 => Color32::from_rgb(225, 125, 60),
        k if k <= 0.4 => Color32::from_rgb(230, 180, 60),
        k if k <= 0.6 => Color32::from_rgb(200, 205, 80),
        k if k <= 0.8 => Color32::from_rgb(120, 190, 100),
        _ => Color32::from_rgb(50, 150, 90),
    };
    color.gamma_multiply(if dark_mode { 0.7 } else { 0.55 })
}

#[cfg(test)]
mod tests {
    use crate::gui::i18n::{Language, Msg};

    #[test]
    fn every_interface_text_can_be_drawn_with_the_fonts_the_window_has() {
        let ctx = egui::Context::default();
        super::install_fallback_fonts(&ctx);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(14.0);
        // The check can fail: the window's fonts have no arrows.
        assert!(!ctx.fonts_mut(|fonts| fonts.has_glyph(&font, '→')));
        for msg in Msg::ALL {
            for language in [Language::English, Language::Spanish] {
                let text = msg.text(language);
                let missing: Vec<char> =
                    ctx.fonts_mut(|fonts| text.chars().filter(|c| !fonts.has_glyph(&font, *c)).collect());
                assert!(missing.is_empty(), "{msg:?} ({language:?}) has characters no font draws: {missing:?}");
            }
        }
    }
}
