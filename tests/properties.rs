//! Property tests with bounded case counts: every model survives JSON encode → decode unchanged,
//! and decoding arbitrary bytes or arbitrary JSON as any response type never panics.

use chrono::{DateTime, Utc};
use conductorone_personal_client::{SecretString, types};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Enough cases to find shape bugs, few enough to keep the suite quick.
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,12}", "[a-z0-9@./:-]{0,24}", Just(String::new())]
}

fn optional_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn optional_list() -> impl Strategy<Value = Option<Vec<String>>> {
    proptest::option::of(proptest::collection::vec(text(), 0..4))
}

/// Instants from year 1 to 9999 with nanosecond precision, as RFC 3339 can carry them.
fn optional_instant() -> impl Strategy<Value = Option<DateTime<Utc>>> {
    proptest::option::of(
        (-62_135_596_800_i64..253_402_300_799, 0_u32..1_000_000_000)
            .prop_filter_map("a valid instant", |(seconds, nanos)| DateTime::from_timestamp(seconds, nanos)),
    )
}

/// The PersonalClient schema's properties as the derived spec declares them (normalised to 3.0).
fn personal_client_properties() -> Vec<(String, serde_json::Value)> {
    let bytes = crate::support::spec_bytes();
    let mut document = codegen::read::load(crate::support::SPEC_FILE, &bytes).expect("the spec loads");
    codegen::translate::normalize(&mut document).expect("the spec normalises");
    document
        .get("/components/schemas/PersonalClient/properties")
        .and_then(serde_json::Value::as_object)
        .expect("PersonalClient has properties")
        .iter()
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// JSON values a property of this schema may hold: made from the spec, so a field added upstream
/// is generated too without this file changing.
fn json_for(schema: &serde_json::Value) -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    let value = match (schema.get("type").and_then(Value::as_str), schema.get("format").and_then(Value::as_str)) {
        (Some("string"), Some("date-time")) => optional_instant()
            .prop_filter_map("an instant", |instant| instant)
            .prop_map(|instant| Value::from(instant.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
            .boxed(),
        (Some("string"), _) => text().prop_map(Value::from).boxed(),
        (Some("integer"), _) => any::<i32>().prop_map(Value::from).boxed(),
        (Some("boolean"), _) => any::<bool>().prop_map(Value::from).boxed(),
        (Some("array"), _) => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            proptest::collection::vec(json_for(&items), 0..4).prop_map(Value::Array).boxed()
        }
        _ => Just(Value::Null).boxed(),
    };
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        prop_oneof![Just(Value::Null), value].boxed()
    } else {
        value
    }
}

/// Personal clients with every property the spec declares, each present or absent.
fn personal_client() -> impl Strategy<Value = types::PersonalClient> {
    let properties = personal_client_properties();
    let names: Vec<String> = properties.iter().map(|(name, _)| name.clone()).collect();
    let fields: Vec<BoxedStrategy<Option<serde_json::Value>>> =
        properties.iter().map(|(_, schema)| proptest::option::of(json_for(schema)).boxed()).collect();
    fields.prop_map(move |values| {
        let object: serde_json::Map<String, serde_json::Value> =
            names.iter().zip(values).filter_map(|(name, value)| value.map(|value| (name.clone(), value))).collect();
        serde_json::from_value(serde_json::Value::Object(object)).expect("a value of the spec's shape decodes")
    })
}

fn clients() -> impl Strategy<Value = Option<Vec<types::PersonalClient>>> {
    proptest::option::of(proptest::collection::vec(personal_client(), 0..3))
}

fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_vec(value).map_err(|error| TestCaseError::fail(error.to_string()))?;
    let back: T = serde_json::from_slice(&json)
        .map_err(|error| TestCaseError::fail(format!("{error} in {}", String::from_utf8_lossy(&json))))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

/// Decodes `bytes` as every response type; only `Ok`/`Err` may come back, never a panic.
fn decode_every_response_type(bytes: &[u8]) {
    let _ = serde_json::from_slice::<types::PersonalClientServiceListResponse>(bytes);
    let _ = serde_json::from_slice::<types::PersonalClientServiceCreateResponse>(bytes);
    let _ = serde_json::from_slice::<types::PersonalClientServiceGetResponse>(bytes);
    let _ = serde_json::from_slice::<types::PersonalClientServiceUpdateResponse>(bytes);
    let _ = serde_json::from_slice::<types::PersonalClientServiceDeleteResponse>(bytes);
    let _ = serde_json::from_slice::<types::PersonalClientSearchServiceSearchResponse>(bytes);
}

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter_map("finite", |number| serde_json::Number::from_f64(number).map(serde_json::Value::Number)),
        prop_oneof![text(), Just("2024-05-01T12:30:45.5+02:00".to_owned())].prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("client".to_owned()),
            Just("list".to_owned()),
            Just("createdAt".to_owned()),
            Just("allowSourceCidr".to_owned()),
            Just("clientSecret".to_owned()),
            Just("nextPageToken".to_owned()),
            "[a-zA-Z]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(keys, inner, 0..5)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn personal_clients_round_trip(value in personal_client()) {
        assert_round_trip(&value)?;
    }

    #[test]
    fn list_and_search_responses_round_trip(list in clients(), next_page_token in optional_text()) {
        let mut listed = types::PersonalClientServiceListResponse::default();
        (listed.list, listed.next_page_token) = (list.clone(), next_page_token.clone());
        assert_round_trip(&listed)?;
        let mut found = types::PersonalClientSearchServiceSearchResponse::default();
        (found.list, found.next_page_token) = (list, next_page_token);
        assert_round_trip(&found)?;
    }

    #[test]
    fn single_client_responses_round_trip(client in proptest::option::of(personal_client()), secret in optional_text()) {
        let mut got = types::PersonalClientServiceGetResponse::default();
        got.client = client.clone();
        assert_round_trip(&got)?;
        let mut updated = types::PersonalClientServiceUpdateResponse::default();
        updated.client = client.clone();
        assert_round_trip(&updated)?;
        let mut created = types::PersonalClientServiceCreateResponse::default();
        (created.client, created.client_secret) = (client, secret.map(SecretString::from));
        assert_round_trip(&created)?;
    }

    #[test]
    fn requests_round_trip(
        display_name in optional_text(),
        expires in optional_text(),
        lists in (optional_list(), optional_list()),
        client in proptest::option::of(personal_client()),
        update_mask in optional_text(),
        page_size in proptest::option::of(any::<i32>()),
        page_token in optional_text(),
        users in proptest::option::of(proptest::collection::vec(optional_text().prop_map(|id| { let mut user = types::UserRef::default(); user.id = id; user }), 0..3)),
    ) {
        let mut create = types::PersonalClientServiceCreateRequest::default();
        (create.allow_source_cidr, create.display_name, create.expires, create.scoped_roles) = (lists.0, display_name.clone(), expires, lists.1);
        assert_round_trip(&create)?;
        let mut update = types::PersonalClientServiceUpdateRequest::default();
        (update.client, update.update_mask) = (client, update_mask);
        assert_round_trip(&update)?;
        let mut search = types::PersonalClientSearchServiceSearchRequest::default();
        (search.page_size, search.page_token, search.query, search.users) = (page_size, page_token, display_name, users);
        assert_round_trip(&search)?;
        assert_round_trip(&types::PersonalClientServiceDeleteRequest::from(serde_json::Map::new()))?;
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        decode_every_response_type(&bytes);
    }

    #[test]
    fn decoding_arbitrary_json_never_panics(value in any_json()) {
        decode_every_response_type(value.to_string().as_bytes());
    }
}

/// Found by the fuzz target: a free-form answer (the delete response is any JSON object) holding
/// an integer too large for u64 changed on re-encoding, because serde_json's default float
/// parser is not correctly rounded. The workspace enables serde_json's `float_roundtrip`.
#[test]
fn fuzz_regression_a_huge_integer_in_a_free_form_answer_survives_re_encoding() {
    let bytes = b"{\"tt%\":\t\t\t\t\t\t\t\t\t10003306466688538014154}\t";
    let decoded: types::PersonalClientServiceDeleteResponse = serde_json::from_slice(bytes).expect("decodes");
    let again: types::PersonalClientServiceDeleteResponse =
        serde_json::from_slice(&serde_json::to_vec(&decoded).expect("encodes")).expect("decodes again");
    assert_eq!(again, decoded);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn numbers_in_free_form_answers_survive_re_encoding(digits in "[1-9][0-9]{0,30}", exponent in proptest::option::of(-300_i32..300)) {
        let number = match exponent { Some(exponent) => format!("{digits}e{exponent}"), None => digits };
        let bytes = format!("{{\"value\": {number}}}");
        if let Ok(decoded) = serde_json::from_str::<types::PersonalClientServiceDeleteResponse>(&bytes) {
            let again: types::PersonalClientServiceDeleteResponse =
                serde_json::from_slice(&serde_json::to_vec(&decoded).expect("encodes")).expect("decodes again");
            prop_assert_eq!(again, decoded);
        }
    }
}
