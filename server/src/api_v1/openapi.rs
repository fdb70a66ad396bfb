//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, made from the route table so the two
//! cannot drift apart; the schemas are written out here by hand.

use super::endpoints::{endpoints, Endpoint, Reply};
use axum::Json;
use serde_json::{json, Map, Value};

pub async fn serve() -> Json<Value> {
    Json(document())
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in endpoints() {
        let entry = paths
            .entry(endpoint.path.to_string())
            .or_insert_with(|| json!({}));
        entry[endpoint.method.to_lowercase()] = operation(&endpoint);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Settle API",
            "version": "1",
            "description": "Invoices, payments and books. Send a personal API token (made on \
                the API tokens page or with `settle token create`) as `Authorization: Bearer \
                settle_…`. A read token may only GET; a write token may also POST if its user \
                is the owner or a bookkeeper. Money is a decimal string with its currency. \
                Every POST honours `Idempotency-Key`: a retry with the same key and body gets \
                the first answer (marked `Idempotent-Replayed: true`) and changes nothing."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
            "responses": responses(),
        }
    })
}

fn operation(endpoint: &Endpoint) -> Value {
    let mut parameters: Vec<Value> = Vec::new();
    if endpoint.path.contains("{id}") {
        parameters.push(json!({"name": "id", "in": "path", "required": true,
            "schema": {"type": "integer", "minimum": 1}}));
    }
    for (name, description) in endpoint.query {
        parameters.push(json!({"name": name, "in": "query", "required": false,
            "description": description, "schema": {"type": "string"}}));
    }
    let writes = endpoint.method == "POST";
    if writes {
        parameters.push(
            json!({"name": "Idempotency-Key", "in": "header", "required": false,
            "description": "1 to 64 characters; per token. A retry with the same key and body \
                returns the first answer; another body with it is refused with 422.",
            "schema": {"type": "string", "maxLength": 64}}),
        );
    }
    let mut responses = Map::new();
    responses.insert(
        endpoint.status.to_string(),
        success(endpoint.reply, endpoint.status),
    );
    let mut errors = vec!["400", "401", "500"];
    if endpoint.path.contains("{id}") {
        errors.push("404");
    }
    if writes {
        errors.extend(["403", "409", "413", "415", "422"]);
    } else if !endpoint.query.is_empty() || endpoint.reply == Reply::Xml {
        errors.extend(["409", "422"]);
    }
    for code in errors {
        responses.insert(
            code.to_string(),
            json!({"$ref": format!("#/components/responses/E{code}")}),
        );
    }
    let mut op = json!({
        "operationId": endpoint.operation,
        "summary": endpoint.summary,
        "parameters": parameters,
        "responses": responses,
    });
    if let Some(body) = endpoint.body {
        op["requestBody"] = json!({"required": false, "content": {"application/json":
            {"schema": {"$ref": format!("#/components/schemas/{body}")}}}});
    }
    op
}

fn success(reply: Reply, status: u16) -> Value {
    let description = if status == 201 { "Created" } else { "OK" };
    let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    match reply {
        Reply::Json(name) => json!({"description": description,
            "content": {"application/json": {"schema": reference(name)}}}),
        Reply::Page(name) => json!({"description": description,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["data", "next_cursor"],
            "properties": {
                "data": {"type": "array", "items": reference(name)},
                "next_cursor": {"type": ["string", "null"],
                    "description": "pass as ?cursor= for the next page; null on the last"}
            }}}}}),
        Reply::Pdf => json!({"description": description,
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}),
        Reply::Xml => json!({"description": description,
            "content": {"application/xml": {"schema": {"type": "string"}}}}),
    }
}

fn responses() -> Value {
    let error = |text: &str| {
        json!({"description": text, "content": {"application/json":
            {"schema": {"$ref": "#/components/schemas/Error"}}}})
    };
    json!({
        "E400": error("The request could not be read (bad JSON, bad query value, bad key)"),
        "E401": error("No token, or a revoked or unknown one, or its user is disabled"),
        "E403": error("A read token, or a viewer's token, tried to change something"),
        "E404": error("No record has that id"),
        "E409": error("The request clashes with the record's state, or a request with the \
            same Idempotency-Key has not finished"),
        "E413": error("The body is larger than 1 MiB"),
        "E415": error("The body is not sent as application/json"),
        "E422": error("Input refused (field names the first problem; fields lists all), or \
            an Idempotency-Key reused for another request; nothing was saved"),
        "E500": error("The server failed; nothing was saved"),
    })
}

fn schemas() -> Value {
    let text = json!({"type": "string"});
    let decimal = json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
        "description": "a decimal number as a string"});
    let date = json!({"type": "string", "format": "date"});
    let id = json!({"type": "integer"});
    let money = json!({"$ref": "#/components/schemas/Money"});
    json!({
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "examples": ["invalid_input", "not_found",
                    "unauthorised", "forbidden", "conflict", "bad_request",
                    "payload_too_large", "unsupported_media_type", "request_in_progress",
                    "internal"]},
                "message": text,
                "field": {"type": "string", "description": "the field first refused"},
                "fields": {"type": "array", "items": {"type": "object",
                    "properties": {"field": text, "message": text}}}
            }}}},
        "Money": {"type": "object", "required": ["amount", "currency"], "properties": {
            "amount": decimal, "currency": {"type": "string", "examples": ["EUR"]}}},
        "Customer": {"type": "object", "properties": {
            "id": id, "name": text, "email": text, "billing_address": text, "tax_id": text,
            "payment_reference": text, "currency": text, "payment_terms_days": id,
            "notes": text, "open_balance": money, "credit": money}},
        "CustomerInput": {"type": "object", "required": ["name"], "additionalProperties": false,
            "properties": {"name": text, "email": text, "billing_address": text,
                "tax_id": text, "payment_reference": text,
                "currency": {"type": "string", "description": "ISO 4217; default: the business's"},
                "payment_terms_days": {"type": "integer", "minimum": 0}, "notes": text}},
        "Item": {"type": "object", "properties": {"id": id, "name": text, "description": text,
            "unit": text, "unit_price": decimal, "tax_rate_id": id, "revenue_account": text,
            "archived": {"type": "boolean"}}},
        "ItemInput": {"type": "object", "required": ["name", "unit_price", "tax_rate_id"],
            "additionalProperties": false, "properties": {"name": text, "description": text,
                "unit": text, "unit_price": decimal, "tax_rate_id": id,
                "revenue_account": text}},
        "LineInput": {"type": "object", "required": ["description", "quantity", "unit_price",
            "revenue_account"], "additionalProperties": false, "properties": {
                "description": text, "quantity": decimal, "unit": text, "unit_price": decimal,
                "discount_percent": decimal, "tax_rate_id": id,
                "tax_rate": {"type": "string", "description": "a bare percentage, when no tax_rate_id"},
                "revenue_account": {"type": "string", "examples": ["4000"]}}},
        "InvoiceInput": {"type": "object", "required": ["customer_id", "issue_date", "due_date",
            "lines"], "additionalProperties": false, "properties": {
                "customer_id": id, "issue_date": date, "due_date": date,
                "currency": {"type": "string", "description": "default: the business's"},
                "notes": text, "prices_include_tax": {"type": "boolean"},
                "discount_kind": {"type": "string", "enum": ["", "none", "percent", "amount"]},
                "discount": decimal,
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/LineInput"}}}},
        "Invoice": {"type": "object", "description": "summary (id, number, customer, dates, \
            total, open, status), lines, totals, pricing, paid, payments, credited, \
            credit_notes, write_off", "properties": {
                "summary": {"type": "object", "properties": {"id": id,
                    "number": {"type": ["string", "null"]}, "customer_id": id,
                    "customer_name": text, "issue_date": date, "due_date": date,
                    "total": money, "open": money,
                    "status": {"type": "string", "examples": ["Draft", "Issued",
                        "PartiallyPaid", "Paid", "Overdue", "Void"]}}},
                "currency": text, "notes": text, "lines": {"type": "array"},
                "totals": {"type": "object"}, "paid": money, "payments": {"type": "array"},
                "credited": money, "credit_notes": {"type": "array"}}},
        "CreditNoteInput": {"type": "object", "required": ["reason"],
            "additionalProperties": false, "properties": {
                "amount": {"type": "string", "description": "gross; empty for all that is open"},
                "date": {"type": "string", "format": "date", "description": "default: today"},
                "reason": text}},
        "AllocationInput": {"type": "object", "required": ["invoice_id", "amount"],
            "properties": {"invoice_id": id, "amount": decimal}},
        "PaymentInput": {"type": "object", "required": ["customer_id", "amount", "received_on"],
            "additionalProperties": false, "properties": {
                "customer_id": id, "amount": decimal, "received_on": date,
                "method": {"type": "string", "enum": ["BankTransfer", "Card", "Cash", "Cheque",
                    "Other"]},
                "bank_account_id": id, "reference": text,
                "allocations": {"type": "array",
                    "items": {"$ref": "#/components/schemas/AllocationInput"}},
                "keep_excess_as_credit": {"type": "boolean", "default": true},
                "fee": decimal, "fee_account": text}},
        "Payment": {"type": "object", "properties": {"id": id, "customer_id": id,
            "customer_name": text, "received_on": date, "method": text, "reference": text,
            "bank_account": text, "amount": money, "fee": money,
            "allocations": {"type": "array", "items": {"type": "object", "properties": {
                "invoice_id": id, "number": text, "amount": money,
                "from_credit": {"type": "boolean"}}}},
            "credit_refunded": money, "credit_left": money,
            "reversal": {"description": "[kind, date] once reversed or refunded"}}},
        "CreditAllocationInput": {"type": "object", "required": ["invoice_id", "amount"],
            "additionalProperties": false, "properties": {"invoice_id": id, "amount": decimal,
                "date": {"type": "string", "format": "date", "description": "default: today"}}},
        "RefundInput": {"type": "object", "additionalProperties": false, "properties": {
            "date": {"type": "string", "format": "date",
                "description": "default: the payment's own day"}}},
        "ChangeReceipt": {"type": "object", "properties": {"amount": money,
            "entry_ids": {"type": "array", "items": id}}},
        "Account": {"type": "object", "properties": {"code": text, "name": text,
            "kind": text, "parent": {"type": ["string", "null"]},
            "is_money": {"type": "boolean"}, "archived": {"type": "boolean"},
            "system": {"type": "boolean"}, "has_postings": {"type": "boolean"},
            "balance": money}},
        "JournalEntry": {"type": "object", "properties": {"id": id, "date": date,
            "memo": text, "source": text, "reverses": {"type": ["integer", "null"]},
            "reversed_by": {"type": ["integer", "null"]},
            "postings": {"type": "array", "description": "[account code, account name, \
                amount (debit positive)]"}}},
        "TrialBalance": {"type": "object", "properties": {"as_of": date,
            "basis": text, "rows": {"type": "array", "items": {"type": "object",
                "properties": {"code": text, "name": text, "kind": text, "balance": money}}},
            "total_debit": money, "total_credit": money}},
        "Report": {"type": "object", "description": "sections of accounts with amounts and \
            totals, as the app's report pages show them"},
    })
}
