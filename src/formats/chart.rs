//! Charts of a frequency table, drawn as SVG (grouped bars, stacked bars, or a
//! heat map of shares) and rendered to PNG from the same SVG with an embedded
//! font, so a chart looks the same on every machine.

use std::fmt::Write as _;
use std::sync::Arc;

use super::escape_xml as escape;
use crate::analysis::FrequencyTable;

/// The kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ChartKind {
    /// For each group, a bar per code side by side.
    #[default]
    Grouped,
    /// For each group, one bar with the codes stacked.
    Stacked,
    /// Codes × groups, each cell shaded by the share of the group's excerpts.
    HeatMap,
}

impl ChartKind {
    /// Parses `grouped`, `stacked` or `heatmap`.
    pub fn parse(text: &str) -> Option<ChartKind> {
        match text.trim().to_lowercase().replace(['-', ' '], "").as_str() {
            "grouped" | "bars" => Some(Self::Grouped),
            "stacked" => Some(Self::Stacked),
            "heatmap" | "heat" => Some(Self::HeatMap),
            _ => None,
        }
    }
}

const WIDTH: f64 = 1000.0;
const FONT: &str = "font-family=\"Ubuntu, sans-serif\"";

/// A round step for axis ticks near `max / 5`.
fn tick_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|step| *step >= raw).unwrap_or(raw)
}

/// Codes with at least one count, by index.
/// The opening of a chart: the white page and its title at `title_x`.
fn svg_start(height: f64, title_x: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
         <text x=\"{title_x}\" y=\"30\" {FONT} font-size=\"18\" fill=\"#222\">{}</text>",
        escape(title)
    )
}

fn used_codes(table: &FrequencyTable) -> Vec<usize> {
    (0..table.codes.len()).filter(|c| table.totals.get(*c).is_some_and(|t| t.excerpts > 0)).collect()
}

/// Draws the chart as an SVG document.
pub fn render_svg(table: &FrequencyTable, kind: ChartKind, title: &str) -> String {
    match kind {
        ChartKind::HeatMap => heat_map_svg(table, title),
        _ => bars_svg(table, kind == ChartKind::Stacked, title),
    }
}

fn bars_svg(table: &FrequencyTable, stacked: bool, title: &str) -> String {
    let codes = used_codes(table);
    let groups = table.groups.len().max(1);
    let legend_width = 240.0;
    let (left, top, bottom) = (60.0, 56.0, 110.0);
    let plot_width = WIDTH - left - legend_width - 20.0;
    let height = (top + bottom + 320.0_f64).max(top + 40.0 + codes.len() as f64 * 20.0);
    let plot_height = height - top - bottom;
    let value = |g: usize, c: usize| table.cell(g, c).excerpts as f64;
    let max = (0..table.groups.len())
        .map(|g| {
            if stacked {
                codes.iter().map(|c| value(g, *c)).sum()
            } else {
                codes.iter().map(|c| value(g, *c)).fold(0.0, f64::max)
            }
        })
        .fold(1.0, f64::max);
    let step = tick_step(max);
    let axis_max = (max / step).ceil() * step;
    let y = |v: f64| top + plot_height - v / axis_max * plot_height;
    let mut svg = svg_start(height, left, title);
    let mut tick = 0.0;
    while tick <= axis_max + 1e-9 {
        let ty = y(tick);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\" stroke=\"#e3e3e3\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\" fill=\"#666\" text-anchor=\"end\">{tick}</text>",
            left + plot_width,
            left - 6.0,
            ty + 4.0
        );
        tick += step;
    }
    let slot = plot_width / groups as f64;
    for (g, (group, _)) in table.groups.iter().enumerate() {
        let x0 = left + g as f64 * slot + slot * 0.1;
        let inner = slot * 0.8;
        let mut stack = 0.0;
        for (position, c) in codes.iter().enumerate() {
            let v = value(g, *c);
            if v <= 0.0 {
                continue;
            }
            let color = table.codes[*c].color;
            let (bx, bw, base) = if stacked {
                (x0, inner, stack)
            } else {
                let width = inner / codes.len().max(1) as f64;
                (x0 + position as f64 * width, width, 0.0)
            };
            let _ = write!(
                svg,
                "<rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"><title>{}: {} ({v})</title></rect>",
                y(base + v),
                (bw - 1.0).max(1.0),
                (y(base) - y(base + v)).max(0.5),
                escape(group),
                escape(&table.codes[*c].name)
            );
            stack += v;
        }
        let lx = left + g as f64 * slot + slot / 2.0;
        let ly = top + plot_height + 16.0;
        let _ = write!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" {FONT} font-size=\"12\" fill=\"#333\" text-anchor=\"end\" \
             transform=\"rotate(-30 {lx:.1} {ly:.1})\">{}</text>",
            escape(group)
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>",
        top + plot_height,
        left + plot_width,
        top + plot_height
    );
    legend(&mut svg, table, &codes, WIDTH - legend_width, top);
    svg.push_str("</svg>");
    svg
}

fn legend(svg: &mut String, table: &FrequencyTable, codes: &[usize], x: f64, top: f64) {
    for (row, c) in codes.iter().enumerate() {
        let ly = top + row as f64 * 20.0;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{ly:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"#333\">{}</text>",
            table.codes[*c].color,
            x + 18.0,
            ly + 10.5,
            escape(&table.codes[*c].name)
        );
    }
}

fn heat_map_svg(table: &FrequencyTable, title: &str) -> String {
    let codes = used_codes(table);
    let (left, top) = (230.0, 130.0);
    let cell_width = ((WIDTH - left - 20.0) / table.groups.len().max(1) as f64).min(110.0);
    let cell_height = 26.0;
    let height = top + codes.len() as f64 * cell_height + 40.0;
    let max_share = (0..table.groups.len())
        .flat_map(|g| codes.iter().map(move |c| (g, *c)))
        .map(|(g, c)| table.cell(g, c).share)
        .fold(0.0, f64::max)
        .max(0.01);
    let mut svg = svg_start(height, 20.0, title);
    for (g, (group, _)) in table.groups.iter().enumerate() {
        let lx = left + g as f64 * cell_width + cell_width / 2.0;
        let ly = top - 8.0;
        let _ = write!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" {FONT} font-size=\"12\" fill=\"#333\" \
             transform=\"rotate(-35 {lx:.1} {ly:.1})\">{}</text>",
            escape(group)
        );
    }
    for (row, c) in codes.iter().enumerate() {
        let ry = top + row as f64 * cell_height;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"12\" fill=\"#333\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            ry + cell_height / 2.0 + 4.0,
            escape(&table.codes[*c].name)
        );
        for g in 0..table.groups.len() {
            let cell = table.cell(g, *c);
            let strength = cell.share / max_share;
            // From white to a deep teal as the share grows.
            let mix = |from: f64, to: f64| (from + (to - from) * strength).round() as u8;
            let fill = format!("#{:02X}{:02X}{:02X}", mix(255.0, 22.0), mix(255.0, 110.0), mix(255.0, 120.0));
            let text_fill = if strength > 0.55 { "#ffffff" } else { "#333333" };
            let cx = left + g as f64 * cell_width;
            let _ = write!(
                svg,
                "<rect x=\"{cx:.1}\" y=\"{ry:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#ffffff\"/>",
                cell_width, cell_height
            );
            if cell.excerpts > 0 {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" {FONT} font-size=\"11\" fill=\"{text_fill}\" text-anchor=\"middle\">{} · {:.0}%</text>",
                    cx + cell_width / 2.0,
                    ry + cell_height / 2.0 + 4.0,
                    cell.excerpts,
                    cell.share * 100.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Renders an SVG document to PNG, at `scale` times its size, with the embedded
/// font.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut fonts = resvg::usvg::fontdb::Database::new();
    fonts.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    let family = fonts.faces().next().and_then(|face| face.families.first()).map(|(name, _)| name.clone());
    if let Some(family) = family {
        fonts.set_sans_serif_family(family);
    }
    let options = resvg::usvg::Options { fontdb: Arc::new(fonts), ..resvg::usvg::Options::default() };
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|error| format!("the chart could not be drawn: {error}"))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or("the chart is empty")?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the chart is too large")?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|error| format!("the chart could not be saved as PNG: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(48.0), 10.0);
        assert_eq!(tick_step(230.0), 50.0);
        assert_eq!(tick_step(0.0), 1.0);
    }
}
