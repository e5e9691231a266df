//! The app icon, drawn in code: a quipu, the Andean record of knotted cords, with
//! pendant cords in codebook colours.

use crate::model::Color;

/// The icon's size in pixels.
pub const ICON_SIZE: u32 = 64;

/// The icon as RGBA pixels.
pub fn icon_rgba() -> Vec<u8> {
    let size = ICON_SIZE as usize;
    let mut rgba = vec![0u8; size * size * 4];
    let mut put = |x: i32, y: i32, color: [u8; 4]| {
        if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
            let at = (y as usize * size + x as usize) * 4;
            rgba[at..at + 4].copy_from_slice(&color);
        }
    };
    // A rounded dark tile.
    for y in 0..size as i32 {
        for x in 0..size as i32 {
            let (dx, dy) = ((x - 31).abs().max(19) - 19, (y - 31).abs().max(19) - 19);
            if dx * dx + dy * dy <= 13 * 13 {
                put(x, y, [0x2b, 0x2f, 0x3a, 255]);
            }
        }
    }
    // The main cord.
    for x in 8..56 {
        for y in 13..17 {
            put(x, y, [0xe8, 0xdc, 0xc4, 255]);
        }
    }
    // Pendant cords with knots, in code colours.
    let cords = [
        (13, Color::PALETTE[0], 30),
        (21, Color::PALETTE[1], 44),
        (29, Color::PALETTE[3], 36),
        (37, Color::PALETTE[2], 50),
        (45, Color::PALETTE[4], 40),
        (52, Color::PALETTE[5], 32),
    ];
    for (x, color, knot_y) in cords {
        let rgb = [color.r, color.g, color.b, 255];
        for y in 16..56 {
            put(x, y, rgb);
            put(x + 1, y, rgb);
        }
        for dy in -2..=2 {
            for dx in -2..=3 {
                if dx * dx + dy * dy <= 6 {
                    put(x + dx, knot_y + dy, [0xf5, 0xf0, 0xe6, 255]);
                }
            }
        }
    }
    rgba
}

/// The icon for the window.
pub fn app_icon() -> egui::IconData {
    egui::IconData { rgba: icon_rgba(), width: ICON_SIZE, height: ICON_SIZE }
}
