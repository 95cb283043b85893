//! A deterministic generator of realistic support cases for a commerce desk.
//!
//! The same count, anchor time and settings always give the same cases. The
//! sandbox uses the start of the current UTC day as the anchor, so content and
//! ids are identical for every start on one day, while follow-up dates stay
//! meaningful: some lie before the anchor (overdue), some after it. Cases are
//! created over the 365 days before the anchor, oldest first, so case numbers
//! grow with creation time.

use chrono::{Duration, DurationRound, TimeDelta, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::lifecycle::{self, INTERNAL_NOTE, PUBLIC_NOTE};
use crate::model::{Comment, OmniumCase, Participant, PropertyItem};
use crate::settings::Settings;
use crate::store::FIRST_CASE_NUMBER;
use crate::timestamp::Timestamp;

/// Seed of the generator; changing it changes every seeded case.
const SEED: u64 = 20_260_301;

/// Days before the anchor over which cases are created.
const CREATION_SPAN_DAYS: i64 = 365;

/// Subject of one seeded case that looks like a script injection, so tests
/// can check that the UI renders it as text.
pub const SCRIPT_SUBJECT: &str = "<script>alert(\"x\")</script> order missing";

/// Detail of one seeded note that looks like an HTML injection.
pub const IMAGE_NOTE_DETAIL: &str = "<img src=x onerror=alert(1)>";

/// A generated case and whether it is soft-deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedCase {
    pub case: OmniumCase,
    pub deleted: bool,
}

/// One support agent.
#[derive(Debug, Clone, Copy)]
struct Agent {
    id: &'static str,
    name: &'static str,
}

/// One customer with an ASCII email address.
#[derive(Debug, Clone, Copy)]
struct Customer {
    name: &'static str,
    email: &'static str,
}

const AGENTS: [Agent; 6] = [
    Agent {
        id: "agent-ada",
        name: "Ada Lovelace",
    },
    Agent {
        id: "agent-grace",
        name: "Grace Hopper",
    },
    Agent {
        id: "agent-alan",
        name: "Alan Turing",
    },
    Agent {
        id: "agent-katherine",
        name: "Katherine Johnson",
    },
    Agent {
        id: "agent-edsger",
        name: "Edsger Dijkstra",
    },
    Agent {
        id: "agent-margaret",
        name: "Margaret Hamilton",
    },
];

const CUSTOMERS: [Customer; 24] = [
    Customer {
        name: "Zoë Ångström",
        email: "zoe.angstrom@example.com",
    },
    Customer {
        name: "José Núñez",
        email: "jose.nunez@example.com",
    },
    Customer {
        name: "李小龙",
        email: "li.xiaolong@example.cn",
    },
    Customer {
        name: "Øyvind Ødegård",
        email: "oyvind.odegard@example.no",
    },
    Customer {
        name: "Ingrid Bergström",
        email: "ingrid.bergstrom@example.se",
    },
    Customer {
        name: "Mats Hansen",
        email: "mats.hansen@example.no",
    },
    Customer {
        name: "Sofie Kristiansen",
        email: "sofie.k@example.dk",
    },
    Customer {
        name: "Jürgen Müller",
        email: "juergen.mueller@example.de",
    },
    Customer {
        name: "Émilie Dubois",
        email: "emilie.dubois@example.fr",
    },
    Customer {
        name: "Aisha Khan",
        email: "aisha.khan@example.co.uk",
    },
    Customer {
        name: "Mateo García",
        email: "mateo.garcia@example.es",
    },
    Customer {
        name: "Siobhán O'Connor",
        email: "siobhan.oconnor@example.ie",
    },
    Customer {
        name: "Nguyễn Văn An",
        email: "an.nguyen@example.com",
    },
    Customer {
        name: "Olga Ivanova",
        email: "olga.ivanova@example.com",
    },
    Customer {
        name: "Kari Nordmann",
        email: "kari.nordmann@example.no",
    },
    Customer {
        name: "Lars Lindqvist",
        email: "lars.lindqvist@example.se",
    },
    Customer {
        name: "Fatima Al-Sayed",
        email: "fatima.alsayed@example.com",
    },
    Customer {
        name: "Björn Åkesson",
        email: "bjorn.akesson@example.se",
    },
    Customer {
        name: "Hana Suzuki",
        email: "hana.suzuki@example.jp",
    },
    Customer {
        name: "Pieter van der Berg",
        email: "pieter.vdberg@example.nl",
    },
    Customer {
        name: "Anna Kowalska",
        email: "anna.kowalska@example.pl",
    },
    Customer {
        name: "Tomás Ó Briain",
        email: "tomas.obriain@example.ie",
    },
    Customer {
        name: "Nordic Outdoor AS",
        email: "innkjop@nordic-outdoor.example.no",
    },
    Customer {
        name: "Café Ølstue",
        email: "post@olstue.example.no",
    },
];

/// Subject templates; `{order}` and `{product}` are filled in.
const SUBJECTS: [&str; 24] = [
    "Order {order} arrived damaged",
    "Refund not received for order {order}",
    "Wrong size delivered",
    "Cannot log in to my account",
    "Copy of invoice for order {order}",
    "Gift card balance missing",
    "Delivery of order {order} is late",
    "Click & collect order not ready in store",
    "Discount code not applied at checkout",
    "Question about {product}",
    "Return label does not work",
    "Charged twice for order {order}",
    "Change delivery address for order {order}",
    "Warranty claim for {product}",
    "Item missing from package",
    "Exchange {product} for another colour",
    "Loyalty points not added after purchase",
    "Parcel marked delivered but not received",
    "Payment declined but money reserved",
    "Cancel order {order} before shipping",
    "Price match request for {product}",
    "B2B invoice terms for order {order}",
    "Product arrived without manual: {product}",
    "Unsubscribe from newsletter does not work",
];

const PRODUCTS: [&str; 12] = [
    "Trail Runner 3 shoes",
    "Fjord down jacket",
    "Espresso machine Barista Pro",
    "Merino base layer",
    "Cast iron pan 28 cm",
    "Kids' rain suit",
    "Wool blanket Nordlys",
    "Bluetooth speaker Mini",
    "Tent Vidde 2",
    "Ceramic mug set",
    "Standing desk Lift",
    "Headlamp 400 lm",
];

const OPENINGS: [&str; 8] = [
    "Hello,",
    "Hi there,",
    "Good morning,",
    "Dear customer service,",
    "Hei!",
    "To whom it may concern,",
    "Hi support team,",
    "Hello again,",
];

const SENTENCES: [&str; 20] = [
    "I placed the order last week and have not heard anything since.",
    "The tracking page has shown the same status for four days.",
    "The box was torn open on one side and the product is scratched.",
    "I was charged the full price even though the campaign said 30% off.",
    "Could you please check what happened and get back to me?",
    "I have attached photos of the packaging and the damaged item.",
    "My neighbour did not receive anything on my behalf either.",
    "I would prefer a replacement rather than a refund if possible.",
    "The size chart on the website says M, but the item fits like an S.",
    "I tried the reset password link three times without any email arriving.",
    "This is the second time this happens, so I am quite disappointed.",
    "The store told me to contact online support about this.",
    "Please note that I will be travelling from Friday until next Wednesday.",
    "The invoice must show our company registration number for accounting.",
    "The receipt shows two identical lines for the same product.",
    "I returned the item at the post office and kept the receipt.",
    "Is it possible to pick it up in the Oslo city store instead?",
    "The product works, but the manual is only in German.",
    "Our purchasing department needs 30 days payment terms.",
    "Thank you in advance for your help.",
];

const AGENT_REPLIES: [&str; 10] = [
    "Thank you for contacting us. I have looked into the order and will update you shortly.",
    "We have asked the carrier to investigate the delivery. This usually takes 2-3 working days.",
    "I have issued a refund to the original payment method. It can take up to 5 banking days.",
    "Could you send us a photo of the product label and the packaging?",
    "A replacement has been sent today with express delivery.",
    "I have added the missing loyalty points to your account.",
    "The discount has now been applied and the difference refunded.",
    "Your return has been registered and the refund is on its way.",
    "We are sorry for the inconvenience and have added a 100 NOK voucher to your account.",
    "I am closing this case now. Reply to this message if anything else comes up.",
];

const INTERNAL_REMARKS: [&str; 10] = [
    "Checked the warehouse system: the package left the warehouse on time.",
    "Carrier claim opened, reference attached in properties.",
    "Customer has contacted us several times about this; handle with care.",
    "Refund approved by team lead.",
    "Duplicate charge confirmed in the payment provider dashboard.",
    "Escalated to the logistics team.\nThey will answer within 24 hours.",
    "Stock check: 3 units left in central warehouse.",
    "Possible fraud pattern: billing and shipping country differ.",
    "Waiting for the store to confirm the pick-up.",
    "Price match approved according to policy section 4.",
];

const CUSTOMER_FOLLOW_UPS: [&str; 6] = [
    "Any news on this? I still have not received anything.",
    "Thanks, the replacement arrived today!",
    "The refund is visible in my bank now. Thank you.",
    "I sent the photos by email yesterday.",
    "Sorry, I forgot to mention that the order was a gift.",
    "Can you confirm the new delivery date?",
];

const TAGS: [&str; 10] = [
    "vip",
    "refund",
    "shipping",
    "damaged",
    "warranty",
    "b2b",
    "escalated",
    "invoice",
    "returns",
    "payment",
];

const CARRIERS: [&str; 5] = ["PostNord", "Bring", "DHL Express", "UPS", "Helthjem"];
const MARKETS: [&str; 4] = ["NOR", "SWE", "DNK", "FIN"];
const PARTICIPANT_ROLES: [&str; 3] = ["Carrier contact", "Store manager", "Purchaser"];

/// Generates `count` cases relative to `anchor`.
pub fn generate(count: usize, anchor: Timestamp, settings: &Settings) -> Vec<SeedCase> {
    generate_each(count, anchor, settings).collect()
}

/// Generates `count` cases relative to `anchor` one at a time, so that they
/// can be stored while later ones are still being generated.
pub fn generate_each(
    count: usize,
    anchor: Timestamp,
    settings: &Settings,
) -> impl Iterator<Item = SeedCase> + '_ {
    let mut random = ChaCha8Rng::seed_from_u64(SEED);
    let span_ms = CREATION_SPAN_DAYS * 24 * 60 * 60 * 1000;
    let step_ms = span_ms / (count.max(1) as i64);
    let start = anchor.as_datetime() - Duration::milliseconds(span_ms);

    (0..count).map(move |index| {
        let jitter = random.random_range(0..step_ms.max(1));
        let created = Timestamp::from_datetime(
            start + Duration::milliseconds(index as i64 * step_ms + jitter),
        );
        generate_case(&mut random, index, created, anchor, settings)
    })
}

/// Returns the anchor the sandbox seeds with: the start of the current UTC day.
pub fn todays_anchor() -> Timestamp {
    let now = Utc::now();
    let midnight = now.duration_trunc(TimeDelta::days(1)).unwrap_or(now);
    Timestamp::from_datetime(midnight)
}

fn generate_case(
    random: &mut ChaCha8Rng,
    index: usize,
    created: Timestamp,
    anchor: Timestamp,
    settings: &Settings,
) -> SeedCase {
    let number = FIRST_CASE_NUMBER + index as i64;
    let customer_index = random.random_range(0..CUSTOMERS.len() * 8);
    let customer = CUSTOMERS[customer_index % CUSTOMERS.len()];
    let customer_id = format!("CUST-{:05}", 1000 + customer_index);
    let order = format!("ORD-{}", 500_000 + random.random_range(0..900_000));
    let product = *PRODUCTS.choose(random).unwrap_or(&PRODUCTS[0]);

    let subject = match index {
        3 => SCRIPT_SUBJECT.to_owned(),
        _ => SUBJECTS
            .choose(random)
            .unwrap_or(&SUBJECTS[0])
            .replace("{order}", &order)
            .replace("{product}", product),
    };
    let assignee = random
        .random_bool(0.85)
        .then(|| *AGENTS.choose(random).unwrap_or(&AGENTS[0]));

    let mut case = OmniumCase {
        id: uuid::Builder::from_random_bytes(random.random())
            .into_uuid()
            .to_string(),
        case_number: Some(number.to_string()),
        subject: Some(subject),
        description: Some(description(random, customer.name, &order)),
        priority: settings.priorities.choose(random).cloned(),
        source: settings.sources.choose(random).cloned(),
        assigned_to_user_id: assignee.map(|agent| agent.id.to_owned()),
        assigned_to_name: assignee.map(|agent| agent.name.to_owned()),
        customer_id: Some(customer_id.clone()),
        customer_name: Some(customer.name.to_owned()),
        customer_email: Some(customer.email.to_owned()),
        tags: pick_tags(random),
        related_orders: vec![order],
        related_customers: vec![customer_id.clone()],
        market_id: MARKETS.choose(random).map(|market| market.to_string()),
        market_group_id: Some("Nordics".to_owned()),
        created: Some(created),
        ..OmniumCase::default()
    };
    add_related_ids(random, &mut case);
    case.participants = participants(random, customer, &customer_id);
    case.properties = properties(random, created);

    let last_status_change = status_history(random, &mut case, created, anchor, settings);
    add_notes(random, &mut case, index, customer, &customer_id, anchor);
    lifecycle::update_comment_counters(&mut case);
    case.follow_up_date = follow_up(random, &case, anchor, settings);

    let changed = [Some(last_status_change), case.last_comment_date]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(created);
    case.changed = Some(changed);

    SeedCase {
        case,
        deleted: index % 53 == 17,
    }
}

fn description(random: &mut ChaCha8Rng, customer: &str, order: &str) -> String {
    let mut lines = vec![OPENINGS.choose(random).unwrap_or(&OPENINGS[0]).to_string()];
    let paragraphs = if random.random_bool(0.2) {
        random.random_range(4..9)
    } else {
        random.random_range(1..3)
    };

    for paragraph in 0..paragraphs {
        lines.push(String::new());
        let sentence_count = random.random_range(1..4);
        let sentences: Vec<&str> = SENTENCES
            .choose_multiple(random, sentence_count)
            .copied()
            .collect();
        lines.push(sentences.join(" "));
        if paragraph == 1 && random.random_bool(0.5) {
            lines.push(format!("- Order number: {order}"));
            lines.push("- Delivery method: home delivery".to_owned());
            lines.push("- Payment: card".to_owned());
        }
    }

    lines.push(String::new());
    lines.push("Best regards,".to_owned());
    lines.push(customer.to_owned());
    lines.join("\n")
}

fn pick_tags(random: &mut ChaCha8Rng) -> Vec<String> {
    let count = random.random_range(0..4);
    TAGS.choose_multiple(random, count)
        .map(|tag| tag.to_string())
        .collect()
}

fn add_related_ids(random: &mut ChaCha8Rng, case: &mut OmniumCase) {
    if random.random_bool(0.3) {
        case.related_orders
            .push(format!("ORD-{}", 500_000 + random.random_range(0..900_000)));
    }
    if random.random_bool(0.4) {
        let sku = random.random_range(10_000..99_999);
        case.related_sku_ids = vec![format!("SKU-{sku}"), format!("SKU-{sku}-B")];
        case.related_product_ids = vec![format!("P-{}", sku / 10)];
    }
    if random.random_bool(0.25) {
        case.related_carts = vec![format!("CART-{:08x}", random.random::<u32>())];
    }
    if random.random_bool(0.1) {
        case.related_projects = vec![format!("PRJ-{}", random.random_range(100..999))];
    }
}

fn participants(
    random: &mut ChaCha8Rng,
    customer: Customer,
    customer_id: &str,
) -> Vec<Participant> {
    let mut participants = vec![Participant {
        name: Some(customer.name.to_owned()),
        email: Some(customer.email.to_owned()),
        customer_id: Some(customer_id.to_owned()),
        role: Some("Customer".to_owned()),
    }];
    if random.random_bool(0.3) {
        let role = *PARTICIPANT_ROLES
            .choose(random)
            .unwrap_or(&PARTICIPANT_ROLES[0]);
        let other = CUSTOMERS.choose(random).unwrap_or(&CUSTOMERS[0]);
        participants.push(Participant {
            name: Some(other.name.to_owned()),
            email: Some(other.email.to_owned()),
            customer_id: None,
            role: Some(role.to_owned()),
        });
    }
    participants
}

fn properties(random: &mut ChaCha8Rng, created: Timestamp) -> Vec<PropertyItem> {
    let property = |key: &str, group: &str, value: String, value_type: &str| PropertyItem {
        key: Some(key.to_owned()),
        key_group: Some(group.to_owned()),
        value: Some(value),
        value_type: Some(value_type.to_owned()),
    };

    let mut properties = Vec::new();
    if random.random_bool(0.6) {
        let carrier = CARRIERS.choose(random).unwrap_or(&CARRIERS[0]);
        properties.push(property(
            "Carrier",
            "Logistics",
            carrier.to_string(),
            "String",
        ));
        let promised = created.as_datetime() + Duration::days(random.random_range(1..6));
        properties.push(property(
            "PromisedDelivery",
            "Logistics",
            Timestamp::from_datetime(promised).to_string(),
            "DateTime",
        ));
    }
    if random.random_bool(0.4) {
        let amount = random.random_range(4_900..499_900) as f64 / 100.0;
        properties.push(property(
            "RefundAmount",
            "Payment",
            format!("{amount:.2}"),
            "Number",
        ));
    }
    if random.random_bool(0.5) {
        let is_business = random.random_bool(0.2).to_string();
        properties.push(property(
            "IsBusinessCustomer",
            "Customer",
            is_business,
            "Boolean",
        ));
    }
    properties
}

/// Walks the case through the configured statuses, sometimes reopening it,
/// and returns the time of the last change.
fn status_history(
    random: &mut ChaCha8Rng,
    case: &mut OmniumCase,
    created: Timestamp,
    anchor: Timestamp,
    settings: &Settings,
) -> Timestamp {
    let flow = settings.status_names_by_level();
    let age_days = (anchor.millis_since(&created) / 86_400_000).max(0);
    let final_index = if age_days > 60 && random.random_bool(0.85) {
        (flow.len() - 1).saturating_sub(usize::from(random.random_bool(0.3)))
    } else {
        random.random_range(0..flow.len())
    };

    let mut time = created;
    lifecycle::change_status(case, &settings.new_status, time, settings);

    let position = |name: &str| flow.iter().position(|status| status == name);
    let mut path: Vec<String> = flow[..=final_index].to_vec();
    if let (Some(resolved), Some(reopen)) = (
        position(&settings.resolved_status),
        position(&settings.reopen_status),
    ) {
        let can_reopen = reopen < resolved && final_index >= resolved;
        if can_reopen && random.random_bool(0.15) {
            path = flow[..=resolved].to_vec();
            path.extend_from_slice(&flow[reopen..=final_index]);
        }
    }

    for status in &path {
        if case.status.as_deref() == Some(status.as_str()) {
            continue;
        }
        time = later(random, time, anchor);
        lifecycle::change_status(case, status, time, settings);
    }
    time
}

/// Returns a time after `time` and before `anchor`: minutes to days later,
/// but at most half the remaining gap.
fn later(random: &mut ChaCha8Rng, time: Timestamp, anchor: Timestamp) -> Timestamp {
    let remaining_ms = anchor.millis_since(&time).max(2);
    let wanted_ms = random.random_range(10 * 60 * 1000..4 * 24 * 60 * 60 * 1000);
    let gap_ms = wanted_ms.min(remaining_ms / 2).max(1);
    Timestamp::from_datetime(time.as_datetime() + Duration::milliseconds(gap_ms))
}

fn add_notes(
    random: &mut ChaCha8Rng,
    case: &mut OmniumCase,
    index: usize,
    customer: Customer,
    customer_id: &str,
    anchor: Timestamp,
) {
    let count = random.random_range(0..7);
    let mut time = case.created.unwrap_or(anchor);

    for note_index in 0..count {
        time = later(random, time, anchor);
        let id = uuid::Builder::from_random_bytes(random.random())
            .into_uuid()
            .to_string();
        let agent = *AGENTS.choose(random).unwrap_or(&AGENTS[0]);

        let internal = random.random_bool(0.35);
        if internal {
            let detail = INTERNAL_REMARKS
                .choose(random)
                .unwrap_or(&INTERNAL_REMARKS[0]);
            case.internal_notes.push(Comment {
                id: Some(id),
                created: Some(time),
                creator: Some(agent.name.to_owned()),
                user_id: Some(agent.id.to_owned()),
                detail: Some(detail.to_string()),
                comment_type: Some(INTERNAL_NOTE.to_owned()),
                tags: if random.random_bool(0.2) {
                    vec!["escalated".to_owned()]
                } else {
                    Vec::new()
                },
                ..Comment::default()
            });
            continue;
        }

        let from_customer = note_index % 2 == 1 && random.random_bool(0.7);
        let detail = if index == 5 && note_index == 0 {
            IMAGE_NOTE_DETAIL.to_owned()
        } else if from_customer {
            CUSTOMER_FOLLOW_UPS
                .choose(random)
                .unwrap_or(&CUSTOMER_FOLLOW_UPS[0])
                .to_string()
        } else {
            AGENT_REPLIES
                .choose(random)
                .unwrap_or(&AGENT_REPLIES[0])
                .to_string()
        };
        let attachments = if from_customer && random.random_bool(0.3) {
            vec![serde_json::json!({
                "fileName": "photo-of-package.jpg",
                "contentType": "image/jpeg",
                "url": format!("https://files.example.com/cases/{}/photo-of-package.jpg", case.id),
            })]
        } else {
            Vec::new()
        };

        case.case_notes.push(Comment {
            id: Some(id),
            created: Some(time),
            creator: Some(
                if from_customer {
                    customer.name
                } else {
                    agent.name
                }
                .to_owned(),
            ),
            user_id: (!from_customer).then(|| agent.id.to_owned()),
            customer_id: from_customer.then(|| customer_id.to_owned()),
            title: (note_index == 0).then(|| "Re: your case".to_owned()),
            detail: Some(detail),
            comment_type: Some(PUBLIC_NOTE.to_owned()),
            tags: Vec::new(),
            attachments,
        });
    }

    if index == 5 && case.case_notes.is_empty() {
        case.case_notes.push(Comment {
            id: Some(format!("{}-note", case.id)),
            created: case.created,
            creator: Some(customer.name.to_owned()),
            customer_id: Some(customer_id.to_owned()),
            detail: Some(IMAGE_NOTE_DETAIL.to_owned()),
            comment_type: Some(PUBLIC_NOTE.to_owned()),
            ..Comment::default()
        });
    }
}

/// Picks a follow-up date. An open case gets none, one in the past (overdue)
/// or one in the future, each about a third of the time. A resolved or
/// closed case gets one a fifth of the time.
fn follow_up(
    random: &mut ChaCha8Rng,
    case: &OmniumCase,
    anchor: Timestamp,
    settings: &Settings,
) -> Option<Timestamp> {
    let finished = case.status.as_deref() == Some(settings.resolved_status.as_str())
        || case.status.as_deref() == Some(settings.closed_status.as_str());
    let nine_am = anchor.as_datetime() + Duration::hours(9);

    let choice = if finished {
        random.random_range(0..10).min(3)
    } else {
        random.random_range(0..3)
    };
    let date = match choice {
        1 => nine_am - Duration::days(random.random_range(1..15)),
        2 => nine_am + Duration::days(random.random_range(1..15)),
        _ => return None,
    };
    Some(Timestamp::from_datetime(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> Timestamp {
        Timestamp::parse("2026-03-01T00:00:00Z").unwrap()
    }

    #[test]
    fn same_count_gives_same_cases() {
        let settings = Settings::default();
        let first = generate(50, anchor(), &settings);
        let second = generate(50, anchor(), &settings);
        assert_eq!(first, second);
    }

    #[test]
    fn cases_are_numbered_in_creation_order() {
        let cases = generate(200, anchor(), &Settings::default());
        for pair in cases.windows(2) {
            let (earlier, later) = (&pair[0].case, &pair[1].case);
            assert!(earlier.created < later.created);
            let earlier_number: i64 = earlier.case_number.as_deref().unwrap().parse().unwrap();
            let later_number: i64 = later.case_number.as_deref().unwrap().parse().unwrap();
            assert_eq!(later_number, earlier_number + 1);
        }
    }

    #[test]
    fn generated_cases_pass_validation() {
        let settings = Settings::default();
        for seeded in generate(300, anchor(), &settings) {
            lifecycle::validate_case(&seeded.case, &settings).unwrap();
        }
    }

    #[test]
    fn status_history_matches_status() {
        let settings = Settings::default();
        for seeded in generate(300, anchor(), &settings) {
            let case = &seeded.case;
            let log = &case.case_status_log;
            assert_eq!(log.last().map(|item| &item.status), case.status.as_ref());
            assert_eq!(log[0].duration_since_previous_ms, None);
            for pair in log.windows(2) {
                let expected = pair[1].timestamp.millis_since(&pair[0].timestamp);
                assert_eq!(pair[1].duration_since_previous_ms, Some(expected));
            }

            let status = case.status.as_deref().unwrap();
            assert_eq!(case.closed_date.is_some(), status == "Closed", "{status}");
            if status == "Resolved" {
                assert!(case.resolved_date.is_some());
            }
            if status == "New" || status == "In Progress" {
                assert!(case.resolved_date.is_none());
            }
        }
    }

    #[test]
    fn times_stay_before_anchor() {
        for seeded in generate(300, anchor(), &Settings::default()) {
            let case = &seeded.case;
            assert!(case.created.unwrap() < anchor());
            assert!(case.changed.unwrap() < anchor());
            assert!(case.changed >= case.created);
        }
    }

    #[test]
    fn data_covers_required_variety() {
        let cases = generate(300, anchor(), &Settings::default());
        let any = |check: &dyn Fn(&SeedCase) -> bool| cases.iter().any(check);

        assert!(any(
            &|seeded| seeded.case.subject.as_deref() == Some(SCRIPT_SUBJECT)
        ));
        assert!(any(&|seeded| seeded
            .case
            .case_notes
            .iter()
            .any(|note| note.detail.as_deref() == Some(IMAGE_NOTE_DETAIL))));
        assert!(any(&|seeded| seeded.deleted));
        assert!(any(&|seeded| seeded.case.assigned_to_user_id.is_none()));
        assert!(any(
            &|seeded| seeded.case.assigned_to_user_id.as_deref() == Some("agent-ada")
        ));
        assert!(any(
            &|seeded| seeded.case.customer_name.as_deref() == Some("李小龙")
        ));
        assert!(any(&|seeded| seeded.case.follow_up_date.is_none()));
        assert!(any(&|seeded| seeded
            .case
            .follow_up_date
            .is_some_and(|date| date < anchor())));
        assert!(any(&|seeded| seeded
            .case
            .follow_up_date
            .is_some_and(|date| date > anchor())));
        assert!(any(&|seeded| !seeded.case.internal_notes.is_empty()));
        assert!(any(&|seeded| seeded
            .case
            .description
            .as_deref()
            .is_some_and(|text| text.lines().count() > 10)));
        for value_type in ["String", "Number", "DateTime", "Boolean"] {
            assert!(
                any(&|seeded| seeded
                    .case
                    .properties
                    .iter()
                    .any(|property| property.value_type.as_deref() == Some(value_type))),
                "no {value_type} property"
            );
        }
        let statuses: std::collections::BTreeSet<_> = cases
            .iter()
            .filter_map(|seeded| seeded.case.status.clone())
            .collect();
        assert_eq!(statuses.len(), 4);
    }
}
