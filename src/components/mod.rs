//! Views that take plain data. Nothing here calls the API.

pub mod chip_input;
pub mod copy_button;
pub mod dialog;
pub mod error_view;
pub mod header;
pub mod keyboard;
pub mod relative_time;
pub mod sign_in_form;
pub mod sign_out_button;
