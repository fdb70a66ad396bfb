//! The `settle` binary's library: configuration, start-up, routes.
