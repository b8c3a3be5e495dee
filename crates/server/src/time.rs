//! Timestamps as the API writes them: RFC 3339 in UTC with a `Z`, to the second (Syft's Go
//! client rejects anything else), and epoch seconds for leases.

use jiff::Timestamp;

/// The current time as RFC 3339 (`2026-12-04T10:00:00Z`).
pub fn now_rfc3339() -> String {
    rfc3339(Timestamp::now())
}

/// A timestamp as RFC 3339 to the second.
pub fn rfc3339(timestamp: Timestamp) -> String {
    timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The time `seconds` from now as RFC 3339.
pub fn rfc3339_in(seconds: i64) -> String {
    rfc3339(Timestamp::from_second(now_epoch() + seconds).unwrap_or_else(|_| Timestamp::now()))
}

/// The current time in seconds since the epoch.
pub fn now_epoch() -> i64 {
    Timestamp::now().as_second()
}
