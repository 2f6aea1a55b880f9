//! What every report of a run names at its top: the profile, the audit date
//! and the tool. Carried by the results of `compare` and `diff`, whose inputs
//! are listed by the renderers from the targets themselves.

use serde::{Deserialize, Serialize};

use super::{Assessment, ProfileInfo, ToolInfo};

/// The profile, audit date and tool of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// The tool (name, version, check-set digest).
    pub tool: ToolInfo,
    /// The profile the checks were evaluated with.
    pub profile: ProfileInfo,
    /// Audit date (YYYY-MM-DD).
    pub as_of: String,
}

impl ReportHeader {
    /// The header of an assessment.
    pub fn of(a: &Assessment) -> ReportHeader {
        ReportHeader {
            tool: a.tool.clone(),
            profile: a.profile.clone(),
            as_of: a.as_of.clone(),
        }
    }
}
