//! The settings of one workspace folder: the configuration file found from the folder, as the
//! command line finds it from the current directory (`.asyncfix.toml`, `asyncfix.toml`,
//! `pyproject.toml [tool.asyncfix]`, the user configuration), with the editor's settings
//! (`initializationOptions`, then `workspace/configuration`) over it, as `--config 'KEY =
//! VALUE'` overrides are: the same keys as `[tool.asyncfix]` (`select`, `unsafe-fixes`, ...;
//! camelCase accepted, `unsafeFixes`), checked the same way. Two keys of the editor's own:
//! `configuration` (a configuration file to use, as `--config PATH`) and `isolated` (ignore
//! configuration files).

use std::path::Path;

use clap::Parser;
use serde_json::{Map, Value};

use crate::cli::args::Cli;
use crate::cli::settings::Settings;

/// The editor's settings for asyncfix: an object, or `{"settings": {...}}` as some clients
/// nest them; anything else counts as none.
pub fn editor_options(value: Option<&Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => match map.get("settings") {
            Some(Value::Object(inner)) if map.len() == 1 => inner.clone(),
            _ => map.clone(),
        },
        _ => Map::new(),
    }
}

/// `unsafeFixes` → `unsafe-fixes`.
fn kebab(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// The settings of the folder `root` with `options` over its configuration, and the message
/// to show if they have an error (a malformed configuration file, an unknown rule in the
/// editor's settings): the settings are then the defaults (no configuration file read).
pub fn resolve(root: &Path, options: &Map<String, Value>) -> (Settings, Option<String>) {
    match try_resolve(root, options) {
        Ok(settings) => (settings, None),
        Err(message) => {
            let mut cli = Cli::parse_from(["asyncfix"]);
            cli.isolated = true;
            let fallback = Settings::resolve_in(cli, root).unwrap_or_default();
            (fallback, Some(message))
        }
    }
}

fn try_resolve(root: &Path, options: &Map<String, Value>) -> Result<Settings, String> {
    let mut cli = Cli::parse_from(["asyncfix"]);
    let mut overrides = Vec::new();
    for (key, value) in options {
        match (kebab(key).as_str(), value) {
            (_, Value::Null) => {}
            ("configuration", Value::String(path)) => cli.config.insert(0, path.clone()),
            ("isolated", Value::Bool(isolated)) => cli.isolated = *isolated,
            (key, value) => {
                let value = toml::Value::try_from(value).map_err(|e| format!("the editor's setting `{key}`: {e}"))?;
                overrides.push(format!("{key} = {value}"));
            }
        }
    }
    cli.config.extend(overrides);
    Settings::resolve_in(cli, root).map_err(|e| format!("{e:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Rule;

    #[test]
    fn editor_settings_are_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let options = editor_options(Some(&serde_json::json!({"select": ["AF003"], "unsafeFixes": true})));
        let (settings, error) = resolve(dir.path(), &options);
        assert_eq!(error, None);
        assert_eq!(settings.rules, vec![Rule::BlockingSleep]);
        assert!(settings.unsafe_fixes);
    }

    #[test]
    fn a_bad_setting_is_reported_with_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("asyncfix.toml"), "selct = 1\n").unwrap();
        let (settings, message) = resolve(dir.path(), &Map::new());
        let message = message.unwrap();
        assert!(message.contains("unknown key `selct`"), "{message}");
        assert_eq!(settings.rules, Rule::ALL.to_vec());
    }
}
