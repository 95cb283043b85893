//! One module per route; each owns its data loading.

pub mod case_detail;
pub mod case_form;
pub mod cases_list;
pub mod not_found;
pub mod sign_in;
