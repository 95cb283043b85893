//! The sign-out button. It requests a confirmation first when signing out
//! would delete drafts (of forms or notes) the agent has not sent.

use leptos::prelude::*;

use super::dialog::Dialog;
use crate::app::use_app;

/// Renders a button that signs the agent out. When the agent has unsent
/// drafts, a confirmation naming how many it deletes comes first.
#[component]
pub fn SignOutButton(
    /// The button's classes.
    #[prop(into)]
    class: String,
) -> impl IntoView {
    let app = use_app();
    // The number of drafts the open confirmation names; 0 while it is closed.
    let confirming = RwSignal::new(0_usize);

    let start = move |_| {
        let drafts = app.draft_count();

        if drafts == 0 {
            app.sign_out();
            return;
        }

        confirming.set(drafts);
    };

    let cancel = Callback::new(move |()| confirming.set(0));
    let confirm = move |_| {
        confirming.set(0);
        app.sign_out();
    };

    view! {
        <button type="button" class=class on:click=start>
            "Sign out"
        </button>
        <Show when=move || { confirming.get() > 0 }>
            <Dialog title="Sign out and delete drafts?" on_close=cancel>
                <p>{move || drafts_message(confirming.get())}</p>
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| cancel.run(())>
                        "Stay signed in"
                    </button>
                    <button type="button" class="button button-danger" on:click=confirm>
                        "Sign out and delete"
                    </button>
                </div>
            </Dialog>
        </Show>
    }
}

/// Describes what signing out deletes, for `drafts` unsent drafts.
fn drafts_message(drafts: usize) -> String {
    let (count, pronoun) = match drafts {
        1 => ("an unsent draft (a form or a note)".to_owned(), "it"),
        _ => (format!("{drafts} unsent drafts (forms and notes)"), "them"),
    };

    format!(
        "You have {count} in this browser. Signing out deletes {pronoun}, so that the next \
         person at this computer cannot read {pronoun}. Save or copy what you need first."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_counts_one_draft() {
        let message = drafts_message(1);

        assert!(
            message.starts_with("You have an unsent draft (a form or a note) in this browser.")
        );
        assert!(message.contains("deletes it,"));
    }

    #[test]
    fn message_counts_several_drafts() {
        let message = drafts_message(3);

        assert!(message.starts_with("You have 3 unsent drafts (forms and notes) in this browser."));
        assert!(message.contains("deletes them,"));
    }
}
