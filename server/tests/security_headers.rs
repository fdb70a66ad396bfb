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
