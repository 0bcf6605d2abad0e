//! The value an element holds, whatever its kind: what a view submission's listener reads.

use super::ElementAction;

impl ElementAction {
    /// The value as text: a text, email, URL or number input's `value`; the chosen option's
    /// `value` of a single select, overflow or radio group; a picked date (`YYYY-MM-DD`) or
    /// time (`HH:mm`); the chosen user, conversation or channel ID; a button's `value`.
    /// `None` for kinds that hold several values or none.
    pub fn value(&self) -> Option<&str> {
        match self {
            Self::PlainTextInput(a) | Self::EmailTextInput(a) | Self::UrlTextInput(a) | Self::NumberInput(a) => a.value.as_deref(),
            Self::StaticSelect(a) | Self::ExternalSelect(a) | Self::Overflow(a) | Self::RadioButtons(a) => {
                a.selected_option.as_ref()?.value.as_deref()
            }
            Self::DatePicker(a) => a.selected_date.as_deref(),
            Self::TimePicker(a) => a.selected_time.as_deref(),
            Self::UsersSelect(a) => a.selected_user.as_ref().map(|x| x.as_str()),
            Self::ConversationsSelect(a) => a.selected_conversation.as_ref().map(|x| x.as_str()),
            Self::ChannelsSelect(a) => a.selected_channel.as_ref().map(|x| x.as_str()),
            Self::Button(a) => a.value.as_deref(),
            _ => None,
        }
    }
}
