//! What the model finds in every valid fixture and in the derived spec (operations and their
//! names, parameters, bodies, outcomes and pages; schemas, fields, writability and secrets), as
//! snapshots: a change of what the model decides shows here, apart from the code made from it.

use crate::support::workspace_root;

#[test]
fn every_valid_fixture_has_its_model_snapshot() {
    let mut seen = 0;
    insta::glob!("fixtures/valid/*.yaml", |fixture| {
        seen += 1;
        let bytes = std::fs::read(fixture).expect("read the fixture");
        let name = fixture.file_name().and_then(|name| name.to_str()).expect("a UTF-8 file name");
        let spec = codegen::load_spec(name, &bytes).unwrap_or_else(|error| panic!("{name} is valid:\n{error}"));
        insta::assert_snapshot!(codegen::model::summary(&spec.api));
    });
    assert!(seen >= 30, "the valid fixtures were not found ({seen})");
}

#[test]
fn the_derived_spec_has_its_model_snapshot() {
    let bytes = std::fs::read(workspace_root().join("spec/personal-client.yaml")).expect("the derived spec");
    let spec = codegen::load_spec("spec/personal-client.yaml", &bytes).expect("the derived spec is valid");
    insta::assert_snapshot!(codegen::model::summary(&spec.api));
}
