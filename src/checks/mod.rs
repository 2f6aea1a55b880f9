//! Checks: loading check definitions and profiles, and evaluating them over facts.
