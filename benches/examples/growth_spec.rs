//! Writes a synthetic spec of one growth axis to standard output, for timing the release xtask on
//! it as a whole process (`benches/growth.sh`): `cargo run -p benchmarks --example growth_spec --
//! properties 1000 > spec.json`. The axes are `properties`, `schemas`, `operations` and
//! `alias-links`.

use std::io::Write as _;
use std::process::ExitCode;

use benchmarks::Axis;

fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    let (Some(axis), Some(size)) = (arguments.next(), arguments.next()) else {
        eprintln!("usage: growth_spec AXIS SIZE (AXIS: properties, schemas, operations, alias-links)");
        return ExitCode::from(2);
    };
    let Some(axis) = Axis::ALL.into_iter().find(|known| known.name() == axis) else {
        eprintln!("unknown axis {axis:?}: properties, schemas, operations or alias-links");
        return ExitCode::from(2);
    };
    let Ok(size) = size.parse::<usize>() else {
        eprintln!("the size {size:?} is not a whole number");
        return ExitCode::from(2);
    };
    match std::io::stdout().lock().write_all(&axis.spec(size)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cannot write the spec: {error}");
            ExitCode::FAILURE
        }
    }
}
