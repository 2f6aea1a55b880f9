//! The SARIF 2.1.0 log of a `scan` that stopped before its report (nothing
//! to assess, a broken configuration, results that could not be kept): one
//! run without results whose invocation failed, with the process's exit
//! code, why, and the error as a notification, in the run's language. A CI
//! job that uploads the log finds one, and it says what went wrong. The
//! mapping is documented in `docs/report.md` (§ SARIF).

use serde_json::{json, Value};

use super::run_exit::RunStop;
use super::sarif::{language_tag, log_of, tool};
use crate::assess::Lang;

/// The log of the stopped run `stop`, its texts in `lang`.
pub fn log(stop: &RunStop, lang: Lang) -> Value {
    let mut invocation = json!({
        "executionSuccessful": false,
        "exitCode": stop.code,
        "exitCodeDescription": stop.cause.description(lang),
        "toolExecutionNotifications": [notification(stop)],
    });
    if stop.skipped_files > 0 {
        invocation["properties"] = json!({ "skippedFiles": stop.skipped_files });
    }
    log_of(json!({
        "tool": tool("msgaudit", env!("CARGO_PKG_VERSION"), &[]),
        "invocations": [invocation],
        "language": language_tag(lang),
        "results": [],
    }))
}

/// Writes the log of `stop` to `out` (as [`log`]).
pub fn write<W: std::io::Write>(stop: &RunStop, lang: Lang, out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, &log(stop, lang)).map_err(std::io::Error::from)
}

/// The error that stopped the run, as standard error shows it.
fn notification(stop: &RunStop) -> Value {
    json!({
        "level": "error",
        "message": { "text": stop.message },
        "properties": { "stopCause": stop.cause.name() },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::run_exit::StopCause;

    #[test]
    fn a_stopped_run_has_no_results_and_says_why() {
        let stop = RunStop {
            code: 5,
            cause: StopCause::Configuration,
            message: "a.toml, Zeile 1, Spalte 2: kaputt".into(),
            skipped_files: 2,
        };
        let log = log(&stop, Lang::De);
        let run = &log["runs"][0];
        assert_eq!(run["results"], json!([]));
        assert_eq!(run["language"], "de-DE");
        assert_eq!(run["tool"]["driver"]["name"], "msgaudit");
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(inv["exitCode"], 5);
        assert_eq!(
            inv["exitCodeDescription"],
            StopCause::Configuration.description(Lang::De)
        );
        assert_eq!(inv["properties"]["skippedFiles"], 2);
        let n = &inv["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "error");
        assert_eq!(n["message"]["text"], stop.message);
        assert_eq!(n["properties"]["stopCause"], "configuration");
    }
}
