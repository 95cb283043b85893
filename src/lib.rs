//! Omnium Cases agent console: a Leptos single-page app for support agents
//! working customer-support cases kept in Omnium.
//!
//! The folders follow the architecture: `model` (serde types), `api` (the
//! fetch layer), `auth` (token and access), `pages` (one file per route,
//! owning its data loading) and `components` (views that take plain data).

pub mod api;
pub mod app;
pub mod auth;
pub mod components;
pub mod config;
pub mod embed;
pub mod model;
pub mod pages;
pub mod text;

#[cfg(target_arch = "wasm32")]
mod start;

#[cfg(target_arch = "wasm32")]
pub use start::{MountedApp, mount, start};
