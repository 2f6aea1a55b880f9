//! The one error-to-exit-code mapping: every command ends a failure through
//! [`fail`], which prints the error in the run's language and gives the exit
//! code of its class (see [`super::exit`]).

use super::exit;
use super::localized::{Localized, WriteError};
use crate::assess::Lang;
use crate::checks::ConfigError;
use crate::extract::inventory::os_import::ImportError;
use crate::extract::sdks::SdkKbError;
use crate::pipeline::PipelineError;
use crate::report::StopCause;

/// An error a command can end with, and the exit code of its class.
pub trait Failure: Localized {
    /// The exit code this error ends the command with.
    fn exit_code(&self) -> u8;
}

/// A broken check file, profile or answers file.
impl Failure for ConfigError {
    fn exit_code(&self) -> u8 {
        exit::CONFIG_ERROR
    }
}

/// A broken `--trackers` file.
impl Failure for SdkKbError {
    fn exit_code(&self) -> u8 {
        exit::CONFIG_ERROR
    }
}

impl Failure for PipelineError {
    fn exit_code(&self) -> u8 {
        match self {
            PipelineError::NoInputs | PipelineError::Store(_) | PipelineError::FactsStore(_) => {
                exit::INPUT_ERROR
            }
            PipelineError::Config(e) => e.exit_code(),
            PipelineError::Trackers(e) => e.exit_code(),
        }
    }
}

/// Why a `scan` that ends with pipeline error `e` stopped before its
/// report, as its SARIF log says.
pub fn stop_cause(e: &PipelineError) -> StopCause {
    match e {
        PipelineError::NoInputs => StopCause::NothingFound,
        PipelineError::Config(_) | PipelineError::Trackers(_) => StopCause::Configuration,
        PipelineError::Store(_) | PipelineError::FactsStore(_) => StopCause::Storage,
    }
}

/// `os-data import`: missing or contradictory options are a usage error,
/// an unreadable release list an input error.
impl Failure for ImportError {
    fn exit_code(&self) -> u8 {
        match self {
            ImportError::NoInput | ImportError::Options(_) => exit::USAGE,
            ImportError::Read { .. } | ImportError::Content { .. } => exit::INPUT_ERROR,
        }
    }
}

/// A report or list that could not be written: the output is lost, as if an
/// input could not be read.
impl Failure for WriteError {
    fn exit_code(&self) -> u8 {
        exit::INPUT_ERROR
    }
}

/// Prints `error` in `lang` and gives its exit code: the one mapping for
/// every command.
pub fn fail(error: &dyn Failure, lang: Lang) -> u8 {
    eprintln!("msgaudit: {}", error.message(lang));
    error.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_errors_exit_five_wherever_they_come_from() {
        let config = ConfigError::Invalid {
            file: "checks/x.toml".into(),
            message: "broken".into(),
        };
        assert_eq!(config.exit_code(), exit::CONFIG_ERROR);
        assert_eq!(
            PipelineError::Config(config).exit_code(),
            exit::CONFIG_ERROR,
            "scan maps a configuration error like checks and explain"
        );
        assert_eq!(PipelineError::NoInputs.exit_code(), exit::INPUT_ERROR);
        assert_eq!(ImportError::NoInput.exit_code(), exit::USAGE);
    }

    #[test]
    fn a_stop_cause_agrees_with_the_exit_code() {
        let config = PipelineError::Config(ConfigError::Invalid {
            file: "a.toml".into(),
            message: "broken".into(),
        });
        assert_eq!(stop_cause(&config), StopCause::Configuration);
        assert_eq!(
            stop_cause(&PipelineError::NoInputs),
            StopCause::NothingFound
        );
        let store = PipelineError::Store(std::io::Error::other("full"));
        assert_eq!(stop_cause(&store), StopCause::Storage);
        assert_eq!(store.exit_code(), exit::INPUT_ERROR);
    }
}
