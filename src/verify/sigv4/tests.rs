//! The signer against the published AWS SigV4 test suite, and the STS verifier.
//!
//! The vectors are the AWS "Signature Version 4 Test Suite" (formerly in the AWS General
//! Reference, now kept in `awslabs/aws-c-auth` under `tests/aws-signing-test-suite/v4/`):
//! each case's request, canonical request, string to sign and signed `Authorization`. All
//! share the suite's example credentials, region `us-east-1`, service `service` and time
//! 2015-08-30T12:36:00Z. The secret is AWS's documented example, not a credential.

use super::*;
use std::time::Duration;

const KEY_ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"; // keyhound:allow (AWS's documented example secret)

/// 2015-08-30T12:36:00Z.
fn suite_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

struct Vector {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    query: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    session_token: Option<&'static str>,
    canonical_request: &'static str,
    string_to_sign: &'static str,
    authorization: &'static str,
}

/// The suite's cases, copied as published (`post-x-www-form-urlencoded` is aws-c-auth's
/// signed-body variant, which also signs `x-amz-content-sha256`).
const SUITE: &[Vector] = &[
    Vector {
        name: "get-vanilla",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    Vector {
        name: "get-vanilla-query-order-key-case",
        method: "GET",
        path: "/",
        query: "Param2=value2&Param1=value1",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    },
    Vector {
        name: "get-vanilla-query-order-encoded",
        method: "GET",
        path: "/",
        query: "Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
    },
    Vector {
        name: "get-vanilla-query-unreserved",
        method: "GET",
        path: "/",
        query: "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nc30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
    },
    Vector {
        name: "get-vanilla-utf8-query",
        method: "GET",
        path: "/",
        query: "ሴ=bar",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\neb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
    },
    Vector {
        name: "get-vanilla-empty-query-key",
        method: "GET",
        path: "/",
        query: "Param1=value1",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
    },
    Vector {
        name: "get-unreserved",
        method: "GET",
        path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
    },
    Vector {
        name: "get-utf8",
        method: "GET",
        path: "/ሴ",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
    },
    Vector {
        name: "get-space-normalized",
        method: "GET",
        path: "/example space/",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
    },
    Vector {
        name: "get-slashes-normalized",
        method: "GET",
        path: "//example//",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\ncb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
    },
    Vector {
        name: "get-relative-relative-normalized",
        method: "GET",
        path: "/example1/example2/../..",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    Vector {
        name: "get-header-value-trim",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com"), ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
    },
    Vector {
        name: "get-header-key-duplicate",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com"), ("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\ndc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
    },
    Vector {
        name: "get-header-value-order",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com"), ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2")],
        body: "",
        session_token: None,
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
    },
    Vector {
        name: "post-vanilla",
        method: "POST",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    },
    Vector {
        name: "post-vanilla-query",
        method: "POST",
        path: "/",
        query: "Param1=value1",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: None,
        canonical_request: "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
    },
    Vector {
        name: "post-header-key-sort",
        method: "POST",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com"), ("My-Header1", "value1")],
        body: "",
        session_token: None,
        canonical_request: "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
    },
    Vector {
        name: "post-x-www-form-urlencoded",
        method: "POST",
        path: "/",
        query: "",
        headers: &[("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("Content-Length", "13"), ("x-amz-content-sha256", "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")],
        body: "Param1=value1",
        session_token: None,
        canonical_request: "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nb1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
    },
    Vector {
        name: "get-vanilla-with-session-token",
        method: "GET",
        path: "/",
        query: "",
        headers: &[("Host", "example.amazonaws.com")],
        body: "",
        session_token: Some("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
        canonical_request: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // keyhound:allow (the suite's example session token)
        string_to_sign: "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
    },
];

fn sign_vector(v: &Vector) -> Signed {
    sign(
        &Unsigned {
            method: v.method,
            path: v.path,
            query: v.query,
            headers: v.headers,
            payload: v.body.as_bytes(),
        },
        &Credentials {
            key_id: KEY_ID,
            secret: SECRET,
            session_token: v.session_token,
        },
        "us-east-1",
        "service",
        suite_time(),
    )
}

#[test]
fn every_suite_vector_signs_to_its_published_canonical_request_string_and_header() {
    assert!(SUITE.len() >= 5);
    for v in SUITE {
        let signed = sign_vector(v);
        assert_eq!(signed.canonical_request, v.canonical_request, "{}", v.name);
        assert_eq!(signed.string_to_sign, v.string_to_sign, "{}", v.name);
        assert_eq!(signed.authorization, v.authorization, "{}", v.name);
        assert!(v.authorization.ends_with(&signed.signature), "{}", v.name);
    }
}

#[test]
fn the_signer_adds_the_date_the_token_and_the_authorization_in_order() {
    let v = SUITE
        .iter()
        .find(|v| v.name == "get-vanilla-with-session-token")
        .unwrap();
    let signed = sign_vector(v);
    let names: Vec<&str> = signed
        .added_headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        names,
        ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"]
    );
    assert_eq!(signed.added_headers[0].1, "20150830T123600Z");
    assert_eq!(signed.added_headers[1].1, v.session_token.unwrap());
    assert_eq!(signed.added_headers[2].1, v.authorization);
}

/// The original suite's `post-x-www-form-urlencoded` (unsigned body, content type signed),
/// whose published signature several independent implementations reproduce.
#[test]
fn the_original_form_post_vector_signs_to_its_published_signature() {
    let signed = sign(
        &Unsigned {
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Host", "example.amazonaws.com"),
            ],
            payload: b"Param1=value1",
        },
        &Credentials {
            key_id: KEY_ID,
            secret: SECRET,
            session_token: None,
        },
        "us-east-1",
        "service",
        suite_time(),
    );
    assert_eq!(
        signed.authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, \
         Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
    );
}

/// The worked example in AWS's SigV4 documentation: IAM `ListUsers`, signed for `iam`.
#[test]
fn the_documented_iam_list_users_example_signs_to_its_published_figures() {
    let signed = sign(
        &Unsigned {
            method: "GET",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &[
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
                ("Host", "iam.amazonaws.com"),
            ],
            payload: b"",
        },
        &Credentials {
            key_id: KEY_ID,
            secret: SECRET,
            session_token: None,
        },
        "us-east-1",
        "iam",
        suite_time(),
    );
    assert_eq!(
        signed.canonical_request,
        "GET\n/\nAction=ListUsers&Version=2010-05-08\n\
         content-type:application/x-www-form-urlencoded; charset=utf-8\n\
         host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n\
         content-type;host;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        signed.string_to_sign,
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n\
         f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
    );
    let key = signing_key(SECRET, "20150830", "us-east-1", "iam");
    // The documented derived key, checked through what it signs: HMAC(key, m) equals
    // HMAC(documented key, m).
    let documented = hmac::Key::new(
        hmac::HMAC_SHA256,
        &decode_hex("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"),
    );
    assert_eq!(
        hmac::sign(&key, b"probe").as_ref(),
        hmac::sign(&documented, b"probe").as_ref()
    );
    assert_eq!(
        signed.signature,
        "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    );
    assert_eq!(
        signed.authorization,
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, \
         Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    );
}

fn decode_hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The suite's plain `GET /` signed with `secret` at `time`.
fn sign_vanilla_get(secret: &str, time: SystemTime) -> Signed {
    sign(
        &Unsigned {
            method: "GET",
            path: "/",
            query: "",
            headers: &[("Host", "example.amazonaws.com")],
            payload: b"",
        },
        &Credentials {
            key_id: KEY_ID,
            secret,
            session_token: None,
        },
        "us-east-1",
        "service",
        time,
    )
}

#[test]
fn any_change_to_what_is_signed_changes_the_signature() {
    let base = sign_vector(&SUITE[0]);
    assert_eq!(
        sign_vanilla_get(SECRET, suite_time()).signature,
        base.signature
    );
    let other_secret = sign_vanilla_get("another secret", suite_time());
    assert_ne!(base.signature, other_secret.signature);
    let a_second_later = sign_vanilla_get(SECRET, suite_time() + Duration::from_secs(1));
    assert_eq!(a_second_later.amz_date, "20150830T123601Z");
    assert_ne!(base.signature, a_second_later.signature);
}

#[test]
fn amz_dates_are_utc_and_zero_padded() {
    assert_eq!(amz_date(UNIX_EPOCH), "19700101T000000Z");
    assert_eq!(amz_date(suite_time()), "20150830T123600Z");
    // 2024-02-29T23:59:59Z: a leap day, the last second of it.
    assert_eq!(
        amz_date(UNIX_EPOCH + Duration::from_secs(1_709_251_199)),
        "20240229T235959Z"
    );
}

#[test]
fn paths_and_queries_encode_the_sigv4_way() {
    assert_eq!(canonical_uri("/a b/c+d/é"), "/a%20b/c%2Bd/%C3%A9");
    assert_eq!(canonical_uri("/a/./b/../c/"), "/a/c/");
    assert_eq!(canonical_uri(""), "/");
    assert_eq!(canonical_query("b=2&a=%2F&a=1&c"), "a=%2F&a=1&b=2&c=");
    assert_eq!(canonical_query("k=a b*"), "k=a%20b%2A");
}

/// 2026-12-01T12:00:00Z.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_796_126_400)
}

#[test]
fn get_caller_identity_is_the_exact_signed_sts_post() {
    let request = get_caller_identity(KEY_ID, SECRET, None, fixed_time());
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://sts.amazonaws.com/");
    assert_eq!(request.body, b"Action=GetCallerIdentity&Version=2011-06-15");
    let signed = sign(
        &Unsigned {
            method: "POST",
            path: "/",
            query: "",
            headers: &[
                ("Host", "sts.amazonaws.com"),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                ),
            ],
            payload: b"Action=GetCallerIdentity&Version=2011-06-15",
        },
        &Credentials {
            key_id: KEY_ID,
            secret: SECRET,
            session_token: None,
        },
        "us-east-1",
        "sts",
        fixed_time(),
    );
    assert_eq!(
        signed.canonical_request,
        "POST\n/\n\n\
         content-type:application/x-www-form-urlencoded; charset=utf-8\n\
         host:sts.amazonaws.com\nx-amz-date:20261201T120000Z\n\n\
         content-type;host;x-amz-date\n\
         ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843"
    );
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    // The signature as computed independently (Python's hmac and hashlib over the canonical
    // request above), so the test does not only compare the signer with itself.
    let authorization =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/sts/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, \
         Signature=597c58a91dc8e28a05768e01adf0f6ed53dbf9a01d101a4ba8d34f651e819c67";
    assert_eq!(
        headers,
        [
            ("Host", "sts.amazonaws.com"),
            (
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8"
            ),
            ("X-Amz-Date", "20261201T120000Z"),
            ("Authorization", authorization),
        ]
    );
}

#[test]
fn a_session_token_is_sent_and_signed() {
    let token = "FwoGZXIvYXdzEXAMPLETOKEN";
    let request = get_caller_identity(KEY_ID, SECRET, Some(token), fixed_time());
    let token_header = request
        .headers
        .iter()
        .find(|(n, _)| n == "X-Amz-Security-Token")
        .expect("the token header");
    assert_eq!(token_header.1, token);
    let authorization = &request.headers.last().unwrap();
    assert_eq!(authorization.0, "Authorization");
    assert!(authorization
        .1
        .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
    let without = get_caller_identity(KEY_ID, SECRET, None, fixed_time());
    assert_ne!(without.headers.last(), request.headers.last());
}

fn response(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("content-type".into(), "text/xml".into())],
        body: body.as_bytes().to_vec(),
    }
}

fn sts_error(code: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    \
         <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>a message</Message>\n  \
         </Error>\n  <RequestId>4fd0c5a8-0000-0000-0000-000000000000</RequestId>\n</ErrorResponse>\n"
    )
}

#[test]
fn a_caller_identity_is_live_with_its_account_arn_and_user() {
    let body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n\
        <GetCallerIdentityResult>\n\
          <Arn>arn:aws:iam::123456789012:user/Alice&amp;Co</Arn>\n\
          <UserId>AIDAEXAMPLEUSERID0001</UserId>\n\
          <Account>123456789012</Account>\n\
        </GetCallerIdentityResult>\n\
        <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>\n\
        </GetCallerIdentityResponse>";
    let outcome = judge_caller_identity(&response(200, body));
    assert_eq!(outcome.liveness, Liveness::Live);
    assert_eq!(
        outcome.reason,
        "caller identity: arn:aws:iam::123456789012:user/Alice&Co"
    );
    assert_eq!(
        outcome.reach,
        [
            ("account".to_string(), "123456789012".to_string()),
            (
                "arn".to_string(),
                "arn:aws:iam::123456789012:user/Alice&Co".to_string()
            ),
            ("user id".to_string(), "AIDAEXAMPLEUSERID0001".to_string()),
        ]
    );
}

#[test]
fn a_200_without_the_identity_is_unknown() {
    let outcome = judge_caller_identity(&response(
        200,
        "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::1:root</Arn>\
         </GetCallerIdentityResult></GetCallerIdentityResponse>",
    ));
    assert_eq!(outcome.liveness, Liveness::Unknown);
    assert!(outcome.reach.is_empty());
}

#[test]
fn aws_error_codes_that_say_the_key_is_bad_are_revoked() {
    for (status, code, reason) in [
        (403, "InvalidClientTokenId", "key id not valid"),
        (403, "SignatureDoesNotMatch", "secret does not match key id"),
        (400, "ExpiredToken", "session token expired"),
    ] {
        let outcome = judge_caller_identity(&response(status, &sts_error(code)));
        assert_eq!(outcome.liveness, Liveness::Revoked, "{code}");
        assert_eq!(outcome.reason, reason);
        assert!(outcome.reach.is_empty());
    }
}

#[test]
fn throttling_server_errors_and_other_codes_are_unknown() {
    let throttled = judge_caller_identity(&response(400, &sts_error("Throttling")));
    assert_eq!(throttled.liveness, Liveness::Unknown);
    assert_eq!(throttled.reason, "rate limited");
    // A 5xx is unknown even when its body names a code that would otherwise be revoked.
    let outage = judge_caller_identity(&response(503, &sts_error("InvalidClientTokenId")));
    assert_eq!(outage.liveness, Liveness::Unknown);
    assert_eq!(outage.reason, "HTTP 503");
    let denied = judge_caller_identity(&response(403, &sts_error("AccessDenied")));
    assert_eq!(denied.liveness, Liveness::Unknown);
    assert_eq!(denied.reason, "HTTP 403: AccessDenied");
    let no_code = judge_caller_identity(&response(403, "<ErrorResponse/>"));
    assert_eq!(no_code.liveness, Liveness::Unknown);
}

#[test]
fn bodies_that_are_not_xml_are_unknown() {
    for (status, body) in [
        (403, "{\"Error\":{\"Code\":\"InvalidClientTokenId\"}}"),
        (200, ""),
        (403, "<html"),
        (200, "\u{0}\u{1}binary"),
    ] {
        let outcome = judge_caller_identity(&response(status, body));
        assert_eq!(outcome.liveness, Liveness::Unknown, "{body:?}");
    }
}

#[test]
fn a_provider_code_in_a_reason_is_one_printable_line() {
    let outcome = judge_caller_identity(&response(403, &sts_error("Odd\nCode\u{7}")));
    assert_eq!(outcome.liveness, Liveness::Unknown);
    assert_eq!(outcome.reason, "HTTP 403: OddCode");
}
