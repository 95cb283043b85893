//! Participants and the ids a case is related to: orders, customers,
//! projects, carts, SKUs and products.

use leptos::prelude::*;

use super::facts::mailto;
use crate::app::use_app;
use crate::components::copy_button::CopyButton;
use crate::model::OmniumCase;

/// One kind of related id: its link-template key, its heading and how to
/// read its ids from a case.
struct RelatedKind {
    template_key: &'static str,
    heading: &'static str,
    /// The word for one id in a copy button's name, such as "order".
    noun: &'static str,
    ids: fn(&OmniumCase) -> &Vec<String>,
}

const RELATED_KINDS: [RelatedKind; 6] = [
    RelatedKind {
        template_key: "orders",
        heading: "Orders",
        noun: "order",
        ids: |case| &case.related_orders,
    },
    RelatedKind {
        template_key: "customers",
        heading: "Customers",
        noun: "customer",
        ids: |case| &case.related_customers,
    },
    RelatedKind {
        template_key: "projects",
        heading: "Projects",
        noun: "project",
        ids: |case| &case.related_projects,
    },
    RelatedKind {
        template_key: "carts",
        heading: "Carts",
        noun: "cart",
        ids: |case| &case.related_carts,
    },
    RelatedKind {
        template_key: "skus",
        heading: "SKUs",
        noun: "SKU",
        ids: |case| &case.related_sku_ids,
    },
    RelatedKind {
        template_key: "products",
        heading: "Products",
        noun: "product",
        ids: |case| &case.related_product_ids,
    },
];

/// The related-ids section. An id links into the portal when the runtime
/// configuration has a link template for its kind; otherwise it is text with
/// a copy button.
#[component]
pub fn RelatedSection(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let app = use_app();
    let copy_result = RwSignal::new(String::new());
    let on_copy = Callback::new(move |message| copy_result.set(message));

    let content = move || {
        let kinds = case.with(|case| {
            RELATED_KINDS
                .iter()
                .filter_map(|kind| {
                    let ids = (kind.ids)(case);
                    (!ids.is_empty()).then(|| (kind, ids.clone()))
                })
                .collect::<Vec<_>>()
        });

        if kinds.is_empty() {
            return view! { <p class="hint">"Nothing related."</p> }.into_any();
        }

        let groups = kinds
            .into_iter()
            .map(|(kind, ids)| {
                let items = ids
                    .into_iter()
                    .map(|id| {
                        let link = app
                            .config
                            .with_value(|config| config.related_link(kind.template_key, &id));
                        related_id_view(id, link, kind.noun, on_copy)
                    })
                    .collect_view();

                view! {
                    <dt>{kind.heading}</dt>
                    <dd>
                        <ul class="related-ids">{items}</ul>
                    </dd>
                }
            })
            .collect_view();

        view! { <dl class="fact-list related-list">{groups}</dl> }.into_any()
    };

    view! {
        <section class="case-section" aria-labelledby="case-related-heading">
            <h2 id="case-related-heading">"Related"</h2>
            {content}
            <p class="hint copy-result" aria-live="polite">{move || copy_result.get()}</p>
        </section>
    }
}

fn related_id_view(
    id: String,
    link: Option<String>,
    noun: &'static str,
    on_copy: Callback<String>,
) -> AnyView {
    match link {
        Some(href) => view! {
            <li>
                <a href=href target="_blank" rel="noopener">{id}</a>
            </li>
        }
        .into_any(),
        None => {
            let label = format!("{noun} {id}");

            view! {
                <li>
                    <span class="related-id">{id.clone()}</span>
                    " "
                    <CopyButton text=id label on_result=on_copy />
                </li>
            }
            .into_any()
        }
    }
}

/// The participants section.
#[component]
pub fn ParticipantsSection(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let participants = Memo::new(move |_| case.with(|case| case.participants.clone()));

    let content = move || {
        let participants = participants.get();

        if participants.is_empty() {
            return view! { <p class="hint">"No participants."</p> }.into_any();
        }

        let items = participants
            .into_iter()
            .map(|participant| {
                let email = participant.email.filter(|email| !email.trim().is_empty());

                view! {
                    <li class="participant">
                        <span class="participant-name">
                            {participant.name.unwrap_or_else(|| "(no name)".to_owned())}
                        </span>
                        {participant
                            .role
                            .map(|role| view! { " " <span class="badge badge-quiet">{role}</span> })}
                        {email
                            .map(|email| {
                                view! {
                                    <br />
                                    <a href=mailto(&email)>{email.clone()}</a>
                                }
                            })}
                        {participant
                            .customer_id
                            .map(|id| {
                                view! {
                                    <br />
                                    <span class="hint">"Customer id "</span>
                                    <span class="participant-customer-id">{id}</span>
                                }
                            })}
                    </li>
                }
            })
            .collect_view();

        view! { <ul class="participant-list">{items}</ul> }.into_any()
    };

    view! {
        <section class="case-section" aria-labelledby="case-participants-heading">
            <h2 id="case-participants-heading">"Participants"</h2>
            {content}
        </section>
    }
}
