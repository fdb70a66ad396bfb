//! Every page carries a Content-Security-Policy with a fresh nonce that every inline script
//! the server writes also carries, so the policy can forbid all other inline script; and the
//! other protective headers are on every response.

mod support;

use support::TestApp;

fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("policy has a nonce") + "'nonce-".len();
    let end = policy[start..].find('\'').expect("nonce is quoted") + start;
    policy[start..end].to_string()
}

async fn page(app: &TestApp, path: &str) -> (String, String) {
    let response = app
        .client
        .get(format!("http://{}{path}", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let policy = response
        .headers()
        .get("content-security-policy")
        .expect("a policy")
        .to_str()
        .unwrap()
        .to_string();
    (policy, response.text().await.unwrap())
}

#[tokio::test]
async fn every_inline_script_carries_the_nonce_of_its_page_policy() {
    let app = TestApp::signed_in().await;

    for path in ["/login", "/", "/invoices", "/books/profit-loss"] {
        let (policy, html) = page(&app, path).await;
        let nonce = nonce_of(&policy);

        assert!(nonce.len() >= 16, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let scripts: Vec<&str> = html.split("<script").skip(1).collect();
        assert!(!scripts.is_empty(), "{path} has its hydration script");
        for script in scripts {
            let tag = &script[..script.find('>').unwrap()];
            let inline = !tag.contains("src=");
            assert!(
                !inline || tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: inline script without the nonce: <script{tag}>"
            );
        }
        assert!(
            !html.contains(" style=\""),
            "{path} has an inline style attribute"
        );
    }
}

#[tokio::test]
async fn each_page_gets_a_new_nonce() {
    let app = TestApp::start().await;

    let (first, _) = page(&app, "/login").await;
    let (second, _) = page(&app, "/login").await;

    assert_ne!(nonce_of(&first), nonce_of(&second));
}

#[tokio::test]
async fn responses_that_are_not_pages_still_refuse_framing_and_sniffing() {
    let app = TestApp::start().await;

    let response = reqwest::get(format!("http://{}/healthz", app.addr))
        .await
        .unwrap();

    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(
        header("content-security-policy").as_deref(),
        Some("frame-ancestors 'none'")
    );
    assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"));
}

/// The service worker is served with the build's id inside it (so a new build is a new
/// worker script), the same id every page names, and is revalidated on each check.
#[tokio::test]
async fn the_service_worker_and_every_page_name_the_same_build() {
    let app = TestApp::signed_in().await;
    let url = format!("http://{}/sw.js", app.addr);
    let response = app.client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let build = headers["x-settle-build"].to_str().unwrap().to_string();
    assert_eq!(build.len(), 24, "a hash of every site file: {build}");
    assert!(build.chars().all(|c| c.is_ascii_hexdigit()), "{build}");
    assert_eq!(headers["cache-control"], "no-cache");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let source = response.text().await.unwrap();
    assert!(
        source.contains(&format!("const SERVED_BUILD = '{build}';")),
        "the worker carries its build"
    );
    assert!(!source.contains("__SETTLE_BUILD__"));

    let etag = headers["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["x-settle-build"], build.as_str());

    for path in ["/login", "/", "/invoices"] {
        let (_, html) = page(&app, path).await;
        assert!(
            html.contains(&format!("<meta name=\"settle-build\" content=\"{build}\"")),
            "{path} names the build"
        );
        assert!(
            html.contains(&format!("/b/{build}/pkg/settle.js")),
            "{path} loads the build's own script"
        );
    }
}

/// The wasm and its script are served under the build's name for good, and a page of another
/// build is never handed this build's files.
#[tokio::test]
async fn the_build_s_files_are_served_under_its_name_and_never_change() {
    let app = TestApp::signed_in().await;
    let sw = format!("http://{}/sw.js", app.addr);
    let response = app.client.get(&sw).send().await.unwrap();
    let build = response.headers()["x-settle-build"]
        .to_str()
        .unwrap()
        .to_string();

    let own = format!("http://{}/b/{build}/pkg/settle.js", app.addr);
    let response = app.client.get(&own).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let plain = format!("http://{}/pkg/settle.js", app.addr);
    let same = app.client.get(&plain).send().await.unwrap();
    assert_eq!(same.headers()["cache-control"], "no-cache");
    assert_eq!(response.bytes().await.unwrap(), same.bytes().await.unwrap());

    for other in [
        format!("/b/{}/pkg/settle.js", "0".repeat(24)),
        format!("/b/{build}/sw.js"),
        format!("/b/{build}/../pkg/settle.js"),
        "/b/".to_string(),
    ] {
        let url = format!("http://{}{other}", app.addr);
        let response = app.client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 404, "{other}");
    }
}
