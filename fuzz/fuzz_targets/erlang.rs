//! The library calls of `wfm erlang`, with the numbers taken from the input bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wfm::queueing::{Model, Staffing, Target, Workload};

fuzz_target!(|data: &[u8]| {
    // Eight 8-byte floats and two flag bytes.
    if data.len() < 66 {
        return;
    }
    let f = |k: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[8 * k..8 * k + 8]);
        f64::from_le_bytes(b)
    };
    let (volume, interval, aht, target, within, patience, shrinkage, agents) =
        (f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7));
    let (kind, flags) = (data[64], data[65]);
    let Ok(w) = Workload::new(volume, interval * 60.0, aht) else {
        return;
    };
    let Ok(mut s) = Staffing::new(w)
        .shrinkage(shrinkage)
        .and_then(|s| s.concurrency(u32::from(flags & 0x1f)))
        .and_then(|s| s.service_level_seconds(within))
    else {
        return;
    };
    if flags & 0x20 != 0 {
        s = s.model(Model::ErlangA {
            patience_seconds: patience,
        });
    }
    s = s.target(match kind % 4 {
        0 => Target::ServiceLevel {
            fraction: target,
            within_seconds: within,
        },
        1 => Target::Asa { seconds: target },
        2 => Target::MaxOccupancy(target),
        _ => Target::MaxAbandon(target),
    });
    if flags & 0x40 != 0 {
        let _ = s.evaluate(agents as u32);
    } else {
        let _ = s.solve();
    }
});
