//! msgaudit — an offline auditor of messenger apps and MDM device inventories
//! against the German data protection authorities' (DSK) technical requirements.
//!
//! The pipeline (see `DESIGN.md` in the shared folder):
//! `detect` → `extract` → [`facts::Facts`] → `checks` (evaluate) → [`assess::Assessment`] → `report`.
//! Every stage lives in its own module and data only flows forward.

pub mod archive;
pub mod assess;
pub mod checks;
pub mod cli;
pub mod detect;
pub mod extract;
pub mod facts;
pub mod lang;
pub mod limits;
pub mod pipeline;
pub mod report;
pub mod workflows;
