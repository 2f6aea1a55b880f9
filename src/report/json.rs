//! The JSON report: the complete, versioned record (contract in `docs/report.md`).

use crate::assess::Assessment;

/// Renders the whole assessment as pretty-printed JSON.
pub fn render(a: &Assessment) -> String {
    match serde_json::to_string_pretty(a) {
        Ok(s) => s,
        // Serializing plain structs cannot fail; still never return an empty report.
        Err(e) => {
            serde_json::json!({ "error": format!("cannot serialize report: {e}") }).to_string()
        }
    }
}
