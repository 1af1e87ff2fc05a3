//! What the generated client sends and how it reads answers, for the constructs of other APIs
//! (issue classes of `fixtures/valid/`): each test calls a golden crate's client (what
//! `generate --whole` writes, compiled with the workspace) against a server on loopback, and
//! checks the request on the wire or the value the answer became.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server on loopback. The generated clients build reqwest with the workspace's
/// `rustls-no-provider`, so the process's crypto provider is installed first (whichever test
/// runs first, alone or not).
async fn start() -> MockServer {
    let _ = rustls::crypto::ring::default_provider().install_default();
    MockServer::start().await
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("the server records requests");
    assert_eq!(requests.len(), 1, "one request: {requests:?}");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> &'a str {
    request.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
}

mod bodies {
    use golden_request_bodies_that_are_not_json::whole::{Client, types};

    use super::*;

    #[tokio::test]
    async fn a_multipart_file_is_sent_as_its_bytes_with_its_content_type() {
        let server = start().await;
        Mock::given(method("POST")).and(path("/uploads")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let client = Client::new(&server.uri());
        // Not UTF-8: a file is bytes, not text.
        let file = vec![0x89, b'P', b'N', b'G', 0xff, 0x00, 0xfe];
        let body = types::UploadBody {
            file: file.clone(),
            caption: Some("a picture".to_owned()),
            tags: vec!["one".to_owned(), "two".to_owned()],
        };
        client.upload(&body).await.expect("the upload succeeds");

        let request = only_request(&server).await;
        let content_type = header(&request, "content-type");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
        let parts: Vec<&[u8]> = split(&request.body, format!("--{boundary}").as_bytes());
        let part = |name: &str| {
            let marker = format!("name=\"{name}\"");
            parts.iter().filter(|part| contains(part, marker.as_bytes())).copied().collect::<Vec<&[u8]>>()
        };
        let files = part("file");
        assert_eq!(files.len(), 1, "one file part");
        assert!(contains(files[0], b"Content-Type: image/png"), "the encoding's content type");
        assert!(contains(files[0], b"filename=\"file\""), "a file part has a file name");
        assert!(contains(files[0], &file), "the file's bytes, unchanged");
        assert!(contains(part("caption")[0], b"a picture"));
        // An array is one part per item.
        assert_eq!(part("tags").len(), 2);
    }

    #[tokio::test]
    async fn a_form_body_writes_each_field_in_its_encoding_style() {
        let server = start().await;
        Mock::given(method("POST"))
            .and(path("/things"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "t1"})))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri());
        let body = types::AddThingBody {
            name: Some("a b&c".to_owned()),
            count: Some(3),
            tags: vec!["x".to_owned(), "y".to_owned()],
        };
        let thing = client.add_thing(&body).await.expect("the form is accepted").into_inner();
        assert_eq!(thing.id.as_deref(), Some("t1"));

        let request = only_request(&server).await;
        assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
        let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        pairs.sort();
        // `tags` is `spaceDelimited` by its encoding: one pair, the items joined by a space.
        assert_eq!(
            pairs,
            [
                ("count".to_owned(), "3".to_owned()),
                ("name".to_owned(), "a b&c".to_owned()),
                ("tags".to_owned(), "x y".to_owned())
            ]
        );
    }

    #[tokio::test]
    async fn json_like_media_types_are_json_with_their_own_content_type_and_others_are_bytes() {
        let server = start().await;
        Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        Mock::given(method("POST"))
            .and(path("/things/vendor"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(r#"{"id":"v1"}"#.as_bytes().to_vec(), "application/vnd.example.thing+json"),
            )
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/things/export"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        Mock::given(method("PUT")).and(path("/blobs")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let client = Client::new(&server.uri());

        let patch = vec![types::PatchThingsBodyItem {
            op: types::PatchThingsBodyItemOp::Replace,
            path: "/name".to_owned(),
            value: Some(serde_json::json!("new")),
        }];
        client.patch_things(&patch).await.expect("the patch is sent");
        let thing = types::Thing { id: None, name: Some("n".to_owned()) };
        let created = client.create_vendor_thing(&thing).await.expect("the vendor type is JSON").into_inner();
        assert_eq!(created.id.as_deref(), Some("v1"));
        client.import_csv("a,b\n1,2\n").await.expect("the CSV is sent");
        client.put_blob(vec![0u8, 1, 2, 255]).await.expect("the bytes are sent");

        let requests = server.received_requests().await.expect("the server records requests");
        let sent = |path: &str| requests.iter().find(|request| request.url.path() == path).expect("the request");
        let patch_request = sent("/things");
        assert_eq!(header(patch_request, "content-type"), "application/json-patch+json");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&patch_request.body).expect("JSON"),
            serde_json::json!([{"op": "replace", "path": "/name", "value": "new"}])
        );
        let vendor = sent("/things/vendor");
        assert_eq!(header(vendor, "content-type"), "application/vnd.example.thing+json");
        assert_eq!(header(vendor, "accept"), "application/vnd.example.thing+json", "asks for the documented type");
        assert_eq!(header(sent("/things/export"), "content-type"), "text/csv");
        assert_eq!(sent("/things/export").body, b"a,b\n1,2\n");
        assert_eq!(header(sent("/blobs"), "content-type"), "application/octet-stream");
        assert_eq!(sent("/blobs").body, [0u8, 1, 2, 255]);
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|window| window == needle)
    }

    fn split<'a>(body: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
        let mut parts = Vec::new();
        let mut rest = body;
        while let Some(at) = rest.windows(separator.len()).position(|window| window == separator) {
            parts.push(&rest[..at]);
            rest = &rest[at + separator.len()..];
        }
        parts.push(rest);
        parts
    }
}

mod parameters {
    use golden_query_parameter_styles::whole::{Client, types};

    use super::*;

    #[tokio::test]
    async fn every_parameter_is_written_in_its_style() {
        let server = start().await;
        Mock::given(method("GET"))
            .and(path("/things"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["a"])))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri());
        let filter = types::Filter { name: Some("n".to_owned()), size: Some(2) };
        let page = types::Page { limit: Some(10), after: Some("c1".to_owned()) };
        let strings = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect::<Vec<String>>();
        let listed = client
            .list_things(
                Some(&filter),
                Some(&vec![1, 2]),
                Some(&page),
                Some(&vec![types::State::Open, types::State::Closed]),
                Some(&strings(&["t1", "t2"])),
                Some(&filter),
                Some(&strings(&["w1", "w2"])),
                Some(&strings(&["r1", "r2"])),
                Some("trace-1"),
                Some(&strings(&["p1", "p2"])),
                Some("s1"),
            )
            .await
            .expect("the call succeeds")
            .into_inner();
        assert_eq!(listed, ["a"]);

        let request = only_request(&server).await;
        let mut query: Vec<(String, String)> =
            request.url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect();
        query.sort();
        let expected: Vec<(&str, &str)> = vec![
            ("after", "c1"),
            ("filter", r#"{"name":"n","size":2}"#),
            ("ids", "1,2"),
            ("limit", "10"),
            ("states", "open|closed"),
            ("tag", "t1"),
            ("tag", "t2"),
            ("where[name]", "n"),
            ("where[size]", "2"),
            ("words", "w1 w2"),
        ];
        let expected: Vec<(String, String)> =
            expected.into_iter().map(|(key, value)| (key.to_owned(), value.to_owned())).collect();
        assert_eq!(query, expected);
        assert_eq!(header(&request, "x-request-ids"), "r1,r2");
        assert_eq!(header(&request, "x-trace"), "trace-1", "text/plain content is the text itself");
        assert_eq!(header(&request, "cookie"), "prefs=p1,p2; session=s1");
    }

    #[tokio::test]
    async fn label_and_matrix_path_parameters_are_written_in_their_styles() {
        let server = start().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let client = Client::new(&server.uri());
        let ids = vec!["a".to_owned(), "b c".to_owned()];
        let point = types::Point { x: Some(1), y: Some(2) };
        client.get_things(&ids, &point).await.expect("the call succeeds");
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/things/.a,b%20c/;x=1;y=2");
    }
}

mod answers {
    use super::*;

    #[tokio::test]
    async fn an_operation_with_several_outcomes_answers_with_the_one_its_status_names() {
        use golden_several_outcomes::whole::{Client, Error, types};
        let server = start().await;
        let thing = serde_json::json!({"name": "t1"});
        for (status, body) in
            [(200, Some(thing.clone())), (201, Some(serde_json::json!({"thing": thing}))), (202, None)]
        {
            let answer = ResponseTemplate::new(status);
            let answer = match body {
                Some(body) => answer.set_body_json(body),
                None => answer,
            };
            Mock::given(method("POST"))
                .and(path(format!("/things/s{status}")))
                .respond_with(answer)
                .mount(&server)
                .await;
        }
        Mock::given(method("POST"))
            .and(path("/things/bad"))
            .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({"reason": "no"})))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/things/down"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path("/things/same"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri());

        let answer = |id: &'static str| {
            let client = &client;
            async move { client.create_thing(id).await }
        };
        assert!(matches!(answer("s200").await.expect("200").into_inner(), types::CreateThingSuccess::Ok(_)));
        assert!(matches!(answer("s201").await.expect("201").into_inner(), types::CreateThingSuccess::Created(_)));
        assert!(matches!(answer("s202").await.expect("202").into_inner(), types::CreateThingSuccess::Accepted));
        match answer("bad").await {
            Err(Error::ErrorResponse(error)) => {
                assert_eq!(error.status().as_u16(), 400);
                assert!(matches!(error.into_inner(), types::CreateThingError::BadRequest(_)));
            }
            other => panic!("a 400 is the documented error: {other:?}"),
        }
        match answer("down").await {
            Err(Error::ErrorResponse(error)) => {
                assert!(matches!(error.into_inner(), types::CreateThingError::Status5xx));
            }
            other => panic!("a 503 is the documented 5XX error: {other:?}"),
        }
        let thing = types::Thing { name: Some("t1".to_owned()) };
        let unchanged = client.put_thing("same", &thing).await.expect("204").into_inner();
        assert!(unchanged.is_none(), "204 has no body: None");
    }

    #[tokio::test]
    async fn a_default_response_beside_a_success_is_the_error() {
        use golden_default_response_is_the_error::whole::{Client, Error};
        let server = start().await;
        Mock::given(method("GET"))
            .and(path("/things/gone"))
            .respond_with(
                ResponseTemplate::new(418).set_body_json(serde_json::json!({"code": 7, "message": "short and stout"})),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/health"))
            .respond_with(ResponseTemplate::new(503).set_body_json(serde_json::json!({"ok": false})))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri());
        match client.get_thing("gone").await {
            Err(Error::ErrorResponse(problem)) => {
                assert_eq!(problem.status().as_u16(), 418);
                assert_eq!(problem.message.as_deref(), Some("short and stout"));
            }
            other => panic!("`default` is the error: {other:?}"),
        }
        // Without a success response, `default` is the success, whatever the status.
        let health = client.health().await.expect("`default` is the success").into_inner();
        assert_eq!(health.ok, Some(false));
    }

    #[test]
    fn enum_values_that_collide_keep_their_wire_values_and_unknown_ones_decode() {
        use golden_enum_values_that_collide::whole::types::{Order, Separator};
        let orders: Vec<Order> =
            serde_json::from_str(r#"["ASC", "asc", "DESC", "desc", "sideways"]"#).expect("decodes");
        assert_eq!(orders, [Order::Asc, Order::Asc2, Order::Desc, Order::Desc2, Order::Unknown("sideways".to_owned())]);
        assert_eq!(
            serde_json::to_string(&orders).expect("encodes"),
            r#"["ASC","asc","DESC","desc","sideways"]"#,
            "each keeps its wire value"
        );
        assert_eq!("asc".parse::<Order>().ok(), Some(Order::Asc2));
        let separators: Vec<Separator> = serde_json::from_str(r#"[".", "X", "-", "_"]"#).expect("decodes");
        assert_eq!(separators, [Separator::Dot, Separator::X, Separator::Dash, Separator::Underscore]);
    }
}
