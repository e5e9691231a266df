//! Keyboard shortcuts that work anywhere in the window: undo and redo, files,
//! the quick pick, the number keys given to codes, and moving through the
//! excerpt list. Keys become commands, carried out like any other.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::app::QuipuApp;
use super::command::AppCommand;
use super::jobs::PickPurpose;

impl QuipuApp {
    /// Keyboard shortcuts that work anywhere in the window.
    pub(super) fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        const REDO_SHIFT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
        const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        const IMPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::I);
        const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
        const QUICK_PICK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);
        const BIGGER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
        const SMALLER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
        let editing_text = self.ui.reader.editing.is_some() || self.typing_in_a_field(ctx);
        let quick_pick_open = self.ui.dialogs.quick_pick.is_some();
        let mut commands = Vec::new();
        ctx.input_mut(|input| {
            // Shift+Cmd+Z first: shortcuts match ignoring extra Shift.
            if input.consume_shortcut(&REDO_SHIFT) || input.consume_shortcut(&REDO) {
                commands.push(AppCommand::Redo);
            }
            if !editing_text && input.consume_shortcut(&UNDO) {
                commands.push(AppCommand::Undo);
            }
            if input.consume_shortcut(&OPEN) {
                commands.push(AppCommand::Pick(PickPurpose::Open));
            }
            if input.consume_shortcut(&NEW) {
                commands.push(AppCommand::Pick(PickPurpose::New));
            }
            if input.consume_shortcut(&IMPORT) {
                commands.push(AppCommand::Pick(PickPurpose::Import));
            }
            if input.consume_shortcut(&EXPORT) {
                commands.push(AppCommand::StartExport);
            }
            if input.consume_shortcut(&BIGGER) {
                commands.push(AppCommand::ChangeTextSize(1.0));
            }
            if input.consume_shortcut(&SMALLER) {
                commands.push(AppCommand::ChangeTextSize(-1.0));
            }
            if input.consume_shortcut(&QUICK_PICK) {
                commands.push(AppCommand::OpenQuickPick);
            }
            if !editing_text && !quick_pick_open {
                let digits =
                    [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5, Key::Num6, Key::Num7, Key::Num8, Key::Num9];
                for (key, number) in digits.into_iter().zip(1u8..) {
                    if input.consume_key(Modifiers::NONE, key) {
                        commands.push(AppCommand::ApplyKey(number));
                    }
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowDown) || input.consume_key(Modifiers::NONE, Key::J) {
                    commands.push(AppCommand::Step(1));
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowUp) || input.consume_key(Modifiers::NONE, Key::K) {
                    commands.push(AppCommand::Step(-1));
                }
            }
        });
        for command in commands {
            self.run_command(ctx, command);
        }
    }

    /// True when the keyboard belongs to a text field (but not to the reader's
    /// read-only texts, where number keys still apply codes).
    fn typing_in_a_field(&self, ctx: &egui::Context) -> bool {
        match ctx.memory(|memory| memory.focused()) {
            Some(id) => ctx.text_edit_focused() && !self.ui.reader.text_ids.contains(&id),
            None => false,
        }
    }
}
