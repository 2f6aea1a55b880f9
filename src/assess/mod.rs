//! The Assessment: outcomes, scores and verdicts for every target of a run.
//!
//! Built by the evaluator in [`crate::checks`]; read by every renderer in
//! [`crate::report`], which only present it and never compute.

pub mod app_diff;
pub mod app_profile;
pub mod catalog;
pub mod comparison;
mod decoded;
pub mod device_summary;
mod distribution;
mod header;
mod kept_facts;
mod messengers;
mod model;
mod os_data;
mod record;
pub mod saved;
pub mod shared_evidence;
pub(crate) mod spill_file;

pub use distribution::{
    DeviceSample, DistributionCounts, FleetDistribution, OsVersionCount, PatchAgeBucket,
    PATCH_AGE_BOUNDS,
};
pub use header::ReportHeader;
pub use kept_facts::{FactsKeeper, FactsWriter, KeptFacts, FACTS_IN_MEMORY};
pub use messengers::{FleetMessenger, MessengerApp};
pub use model::*;
pub use os_data::{OsDataStatus, REFRESH_COMMAND};
mod store;

pub(crate) use record::{
    item_at, shared_item_view, EvidenceList, EvidenceView, ItemAt, RecordView,
};
pub use store::{
    worst_first, CheckMeta, CheckOutcome, DeviceEncoder, DeviceOutcomes, DeviceStore,
    DeviceStoreWriter, EncodedDevice, Mark, OutcomeEvidence, Positions, SPILL_BYTES,
};
pub(crate) use store::{Records, RoundRecords};
