//! The documented key set of every entity the simulator serves, generated from Zoho's
//! OpenAPI files (`spec/zoho-openapi`) with the errata of the Zoho reference (§9 of
//! docs/zoho-books-reference.md) applied. Do not edit: `tests/it/generated.rs` fails when
//! this file drifts from the files, and `cargo xtask regen` rewrites it.

use crate::shape::{EntitySpec, Shape};

/// `contacts.yml`: `create_contact`, `get_contact`, `update_contact`, `list_contacts`.
pub(crate) static CONTACT: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("company_name", Shape::Str),
        ("contact_id", Shape::Str),
        ("contact_name", Shape::Str),
        ("contact_number", Shape::Str),
        (
            "contact_persons",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_id", Shape::Str),
                ("department", Shape::Str),
                ("designation", Shape::Str),
                ("email", Shape::Str),
                ("enable_portal", Shape::Bool),
                ("first_name", Shape::Str),
                ("is_primary_contact", Shape::Bool),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
                ("salutation", Shape::Str),
                ("skype", Shape::Str),
            ])),
        ),
        ("contact_type", Shape::Str),
        ("created_time", Shape::Str),
        ("credit_limit", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_sub_type", Shape::Str),
        (
            "default_templates",
            Shape::Obj(&[
                ("bill_template_id", Shape::Str),
                ("creditnote_email_template_id", Shape::Str),
                ("creditnote_template_id", Shape::Str),
                ("estimate_email_template_id", Shape::Str),
                ("estimate_template_id", Shape::Str),
                ("invoice_email_template_id", Shape::Str),
                ("invoice_template_id", Shape::Str),
                ("payment_remittance_email_template_id", Shape::Str),
                ("paymentthankyou_email_template_id", Shape::Str),
                ("paymentthankyou_template_id", Shape::Str),
                ("purchaseorder_email_template_id", Shape::Str),
                ("purchaseorder_template_id", Shape::Str),
                ("retainerinvoice_email_template_id", Shape::Str),
                (
                    "retainerinvoice_paymentthankyou_email_template_id",
                    Shape::Str,
                ),
                ("retainerinvoice_paymentthankyou_template_id", Shape::Str),
                ("retainerinvoice_template_id", Shape::Str),
                ("salesorder_email_template_id", Shape::Str),
                ("salesorder_template_id", Shape::Str),
                ("statement_template_id", Shape::Str),
            ]),
        ),
        ("facebook", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_transaction", Shape::Bool),
        ("ignore_auto_number_generation", Shape::Bool),
        ("is_linked_with_zohocrm", Shape::Bool),
        ("is_portal_enabled", Shape::Bool),
        ("is_taxable", Shape::Bool),
        ("is_tds_registered", Shape::Bool),
        ("language_code", Shape::Str),
        ("last_modified_time", Shape::Str),
        ("legal_name", Shape::Str),
        ("notes", Shape::Str),
        (
            "opening_balances",
            Shape::Arr(&Shape::Obj(&[
                ("exchange_rate", Shape::Num),
                ("location_id", Shape::Str),
                ("opening_balance_amount", Shape::Num),
            ])),
        ),
        ("outstanding_receivable_amount", Shape::Num),
        ("outstanding_receivable_amount_bcy", Shape::Num),
        ("owner_id", Shape::Str),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_contact", Shape::Str),
        ("pricebook_id", Shape::Str),
        ("primary_contact_id", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("status", Shape::Str),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_exemption_certificate_number", Shape::Str),
        ("tax_exemption_code", Shape::Str),
        ("tax_exemption_id", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_regime", Shape::Str),
        ("tax_treatment", Shape::Str),
        ("tds_tax_id", Shape::Str),
        ("twitter", Shape::Str),
        ("unused_credits_receivable_amount", Shape::Num),
        ("unused_credits_receivable_amount_bcy", Shape::Num),
        ("vat_treatment", Shape::Str),
        ("website", Shape::Str),
    ]),
    get: Shape::Obj(&[
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("company_name", Shape::Str),
        ("contact_id", Shape::Str),
        ("contact_name", Shape::Str),
        ("contact_number", Shape::Str),
        (
            "contact_persons",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_id", Shape::Str),
                ("department", Shape::Str),
                ("designation", Shape::Str),
                ("email", Shape::Str),
                ("enable_portal", Shape::Bool),
                ("first_name", Shape::Str),
                ("is_primary_contact", Shape::Bool),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
                ("salutation", Shape::Str),
                ("skype", Shape::Str),
            ])),
        ),
        ("contact_type", Shape::Str),
        ("created_time", Shape::Str),
        ("credit_limit", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_sub_type", Shape::Str),
        (
            "default_templates",
            Shape::Obj(&[
                ("bill_template_id", Shape::Str),
                ("creditnote_email_template_id", Shape::Str),
                ("creditnote_template_id", Shape::Str),
                ("estimate_email_template_id", Shape::Str),
                ("estimate_template_id", Shape::Str),
                ("invoice_email_template_id", Shape::Str),
                ("invoice_template_id", Shape::Str),
                ("payment_remittance_email_template_id", Shape::Str),
                ("paymentthankyou_email_template_id", Shape::Str),
                ("paymentthankyou_template_id", Shape::Str),
                ("purchaseorder_email_template_id", Shape::Str),
                ("purchaseorder_template_id", Shape::Str),
                ("retainerinvoice_email_template_id", Shape::Str),
                (
                    "retainerinvoice_paymentthankyou_email_template_id",
                    Shape::Str,
                ),
                ("retainerinvoice_paymentthankyou_template_id", Shape::Str),
                ("retainerinvoice_template_id", Shape::Str),
                ("salesorder_email_template_id", Shape::Str),
                ("salesorder_template_id", Shape::Str),
                ("statement_template_id", Shape::Str),
            ]),
        ),
        ("facebook", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_transaction", Shape::Bool),
        ("ignore_auto_number_generation", Shape::Bool),
        ("is_linked_with_zohocrm", Shape::Bool),
        ("is_taxable", Shape::Bool),
        ("is_tds_registered", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("legal_name", Shape::Str),
        ("notes", Shape::Str),
        (
            "opening_balances",
            Shape::Arr(&Shape::Obj(&[
                ("exchange_rate", Shape::Num),
                ("location_id", Shape::Str),
                ("opening_balance_amount", Shape::Num),
            ])),
        ),
        ("outstanding_receivable_amount", Shape::Num),
        ("outstanding_receivable_amount_bcy", Shape::Num),
        ("owner_id", Shape::Str),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_contact", Shape::Str),
        ("pricebook_id", Shape::Str),
        ("primary_contact_id", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("status", Shape::Str),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_exemption_code", Shape::Str),
        ("tax_exemption_id", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_regime", Shape::Str),
        ("tax_treatment", Shape::Str),
        ("twitter", Shape::Str),
        ("unused_credits_receivable_amount", Shape::Num),
        ("unused_credits_receivable_amount_bcy", Shape::Num),
        ("vat_treatment", Shape::Str),
        ("website", Shape::Str),
    ]),
    update: Shape::Obj(&[
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("company_name", Shape::Str),
        ("contact_id", Shape::Str),
        ("contact_name", Shape::Str),
        ("contact_number", Shape::Str),
        (
            "contact_persons",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_id", Shape::Str),
                ("department", Shape::Str),
                ("designation", Shape::Str),
                ("email", Shape::Str),
                ("enable_portal", Shape::Bool),
                ("first_name", Shape::Str),
                ("is_primary_contact", Shape::Bool),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
                ("salutation", Shape::Str),
                ("skype", Shape::Str),
            ])),
        ),
        ("contact_type", Shape::Str),
        ("created_time", Shape::Str),
        ("credit_limit", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_sub_type", Shape::Str),
        (
            "default_templates",
            Shape::Obj(&[
                ("bill_template_id", Shape::Str),
                ("creditnote_email_template_id", Shape::Str),
                ("creditnote_template_id", Shape::Str),
                ("estimate_email_template_id", Shape::Str),
                ("estimate_template_id", Shape::Str),
                ("invoice_email_template_id", Shape::Str),
                ("invoice_template_id", Shape::Str),
                ("payment_remittance_email_template_id", Shape::Str),
                ("paymentthankyou_email_template_id", Shape::Str),
                ("paymentthankyou_template_id", Shape::Str),
                ("purchaseorder_email_template_id", Shape::Str),
                ("purchaseorder_template_id", Shape::Str),
                ("retainerinvoice_email_template_id", Shape::Str),
                (
                    "retainerinvoice_paymentthankyou_email_template_id",
                    Shape::Str,
                ),
                ("retainerinvoice_paymentthankyou_template_id", Shape::Str),
                ("retainerinvoice_template_id", Shape::Str),
                ("salesorder_email_template_id", Shape::Str),
                ("salesorder_template_id", Shape::Str),
                ("statement_template_id", Shape::Str),
            ]),
        ),
        ("facebook", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_transaction", Shape::Bool),
        ("ignore_auto_number_generation", Shape::Bool),
        ("is_linked_with_zohocrm", Shape::Bool),
        ("is_taxable", Shape::Bool),
        ("is_tds_registered", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("legal_name", Shape::Str),
        ("notes", Shape::Str),
        (
            "opening_balances",
            Shape::Arr(&Shape::Obj(&[
                ("exchange_rate", Shape::Num),
                ("location_id", Shape::Str),
                ("opening_balance_amount", Shape::Num),
            ])),
        ),
        ("outstanding_receivable_amount", Shape::Num),
        ("outstanding_receivable_amount_bcy", Shape::Num),
        ("owner_id", Shape::Str),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_contact", Shape::Str),
        ("pricebook_id", Shape::Str),
        ("primary_contact_id", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("phone", Shape::Str),
                ("state", Shape::Str),
                ("state_code", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("status", Shape::Str),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_exemption_code", Shape::Str),
        ("tax_exemption_id", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_regime", Shape::Str),
        ("tax_treatment", Shape::Str),
        ("twitter", Shape::Str),
        ("unused_credits_receivable_amount", Shape::Num),
        ("unused_credits_receivable_amount_bcy", Shape::Num),
        ("vat_treatment", Shape::Str),
        ("website", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("company_name", Shape::Str),
        ("contact_id", Shape::Str),
        ("contact_name", Shape::Str),
        ("contact_type", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("email", Shape::Str),
        ("first_name", Shape::Str),
        ("last_modified_time", Shape::Str),
        ("last_name", Shape::Str),
        ("mobile", Shape::Str),
        ("outstanding_receivable_amount", Shape::Num),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("phone", Shape::Str),
        ("status", Shape::Str),
        ("unused_credits_receivable_amount", Shape::Num),
    ]),
    create_required: &["contact_name"],
    update_required: &["contact_name"],
};

/// `items.yml`: `create_item`, `get_item`, `update_item`, `list_items`.
pub(crate) static ITEM: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("description", Shape::Str),
        ("hsn_or_sac", Shape::Str),
        ("item_id", Shape::Str),
        (
            "item_tax_preferences",
            Shape::Arr(&Shape::Obj(&[
                ("tax_id", Shape::Str),
                ("tax_specification", Shape::Str),
            ])),
        ),
        (
            "locations",
            Shape::Arr(&Shape::Obj(&[
                ("is_primary", Shape::Bool),
                ("location_actual_available_stock", Shape::Str),
                ("location_available_stock", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("location_stock_on_hand", Shape::Str),
                ("status", Shape::Str),
            ])),
        ),
        ("name", Shape::Str),
        ("product_type", Shape::Str),
        ("purchase_tax_rule_id", Shape::Str),
        ("rate", Shape::Num),
        ("sales_tax_rule_id", Shape::Str),
        ("sat_item_key_code", Shape::Str),
        ("sku", Shape::Str),
        ("status", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Str),
        ("tax_type", Shape::Str),
        ("unit", Shape::Str),
        ("unitkey_code", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("description", Shape::Str),
        ("hsn_or_sac", Shape::Str),
        ("item_id", Shape::Str),
        (
            "item_tax_preferences",
            Shape::Arr(&Shape::Obj(&[
                ("tax_id", Shape::Str),
                ("tax_specification", Shape::Str),
            ])),
        ),
        (
            "locations",
            Shape::Arr(&Shape::Obj(&[
                ("is_primary", Shape::Bool),
                ("location_actual_available_stock", Shape::Str),
                ("location_available_stock", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("location_stock_on_hand", Shape::Str),
                ("status", Shape::Str),
            ])),
        ),
        ("name", Shape::Str),
        ("product_type", Shape::Str),
        ("purchase_tax_rule_id", Shape::Str),
        ("rate", Shape::Num),
        ("sales_tax_rule_id", Shape::Str),
        ("sat_item_key_code", Shape::Str),
        ("sku", Shape::Str),
        ("status", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Str),
        ("tax_type", Shape::Str),
        ("unit", Shape::Str),
        ("unitkey_code", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("description", Shape::Str),
        ("hsn_or_sac", Shape::Str),
        ("item_id", Shape::Str),
        (
            "item_tax_preferences",
            Shape::Arr(&Shape::Obj(&[
                ("tax_id", Shape::Str),
                ("tax_specification", Shape::Str),
            ])),
        ),
        (
            "locations",
            Shape::Arr(&Shape::Obj(&[
                ("is_primary", Shape::Bool),
                ("location_actual_available_stock", Shape::Str),
                ("location_available_stock", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("location_stock_on_hand", Shape::Str),
                ("status", Shape::Str),
            ])),
        ),
        ("name", Shape::Str),
        ("product_type", Shape::Str),
        ("purchase_tax_rule_id", Shape::Str),
        ("rate", Shape::Num),
        ("sales_tax_rule_id", Shape::Str),
        ("sat_item_key_code", Shape::Str),
        ("sku", Shape::Str),
        ("status", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Str),
        ("tax_type", Shape::Str),
        ("unit", Shape::Str),
        ("unitkey_code", Shape::Str),
    ]),
    list: Shape::Obj(&[
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("description", Shape::Str),
        ("item_id", Shape::Str),
        ("name", Shape::Str),
        ("product_type", Shape::Str),
        ("purchase_tax_rule_id", Shape::Str),
        ("rate", Shape::Num),
        ("sales_tax_rule_id", Shape::Str),
        ("sat_item_key_code", Shape::Str),
        ("sku", Shape::Str),
        ("status", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Str),
        ("tax_type", Shape::Str),
        ("unit", Shape::Str),
        ("unitkey_code", Shape::Str),
    ]),
    create_required: &["name", "rate"],
    update_required: &["name", "rate"],
};

/// `invoices.yml`: `create_invoice`, `get_invoice`, `update_invoice`, `list_invoices`.
pub(crate) static INVOICE: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("ach_payment_initiated", Shape::Bool),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("allow_partial_payments", Shape::Bool),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("can_send_in_mail", Shape::Bool),
        ("cfdi_reference_type", Shape::Str),
        ("cfdi_usage", Shape::Str),
        ("client_viewed_time", Shape::Str),
        (
            "contact_persons_associated",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_email_enabled", Shape::Bool),
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_email", Shape::Str),
                ("contact_person_id", Shape::Int),
                ("contact_person_name", Shape::Str),
                ("first_name", Shape::Str),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
            ])),
        ),
        ("created_time", Shape::Str),
        ("credits_applied", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("discount", Shape::Num),
        ("discount_type", Shape::Str),
        ("due_date", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_attachment", Shape::Bool),
        ("invoice_id", Shape::Str),
        ("invoice_number", Shape::Str),
        ("invoice_url", Shape::Str),
        ("is_discount_before_tax", Shape::Bool),
        ("is_emailed", Shape::Bool),
        ("is_inclusive_tax", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_viewed_by_client", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("last_payment_date", Shape::Str),
        ("last_reminder_sent_date", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("bcy_rate", Shape::Num),
                ("description", Shape::Str),
                ("discount", Shape::Num),
                ("discount_amount", Shape::Num),
                ("expense_id", Shape::Str),
                ("expense_receipt_name", Shape::Str),
                ("header_id", Shape::Str),
                ("header_name", Shape::Str),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_type", Shape::Str),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                ("sat_item_key_code", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Str),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Str),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Num),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("tds_tax_id", Shape::Str),
                ("time_entry_ids", Shape::Arr(&Shape::Str)),
                ("unit", Shape::Str),
                ("unitkey_code", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        (
            "payment_options",
            Shape::Obj(&[(
                "payment_gateways",
                Shape::Arr(&Shape::Obj(&[
                    ("additional_field1", Shape::Str),
                    ("configured", Shape::Bool),
                    ("gateway_name", Shape::Str),
                ])),
            )]),
        ),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("recurring_invoice_id", Shape::Str),
        ("reference_invoice_id", Shape::Str),
        ("reference_number", Shape::Str),
        ("reminders_sent", Shape::Int),
        ("salesperson_id", Shape::Str),
        ("salesperson_name", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("shipping_charge", Shape::Num),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_amount_withheld", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("template_id", Shape::Str),
        ("template_name", Shape::Str),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        ("write_off_amount", Shape::Num),
    ]),
    get: Shape::Obj(&[
        ("ach_payment_initiated", Shape::Bool),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("allow_partial_payments", Shape::Bool),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("can_send_in_mail", Shape::Bool),
        ("cfdi_usage", Shape::Str),
        ("client_viewed_time", Shape::Str),
        (
            "contact_persons_associated",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_email_enabled", Shape::Bool),
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_email", Shape::Str),
                ("contact_person_id", Shape::Int),
                ("contact_person_name", Shape::Str),
                ("first_name", Shape::Str),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
            ])),
        ),
        ("created_time", Shape::Str),
        ("credits_applied", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("discount", Shape::Num),
        ("discount_type", Shape::Str),
        ("due_date", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_attachment", Shape::Bool),
        ("invoice_id", Shape::Str),
        ("invoice_number", Shape::Str),
        ("invoice_url", Shape::Str),
        ("is_discount_before_tax", Shape::Bool),
        ("is_emailed", Shape::Bool),
        ("is_inclusive_tax", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_viewed_by_client", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("last_payment_date", Shape::Str),
        ("last_reminder_sent_date", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("bcy_rate", Shape::Num),
                ("description", Shape::Str),
                ("discount", Shape::Num),
                ("discount_amount", Shape::Num),
                ("expense_id", Shape::Str),
                ("expense_receipt_name", Shape::Str),
                ("header_id", Shape::Str),
                ("header_name", Shape::Str),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_type", Shape::Str),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Str),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Str),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Num),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("time_entry_ids", Shape::Arr(&Shape::Str)),
                ("unit", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        (
            "payment_options",
            Shape::Obj(&[(
                "payment_gateways",
                Shape::Arr(&Shape::Obj(&[
                    ("additional_field1", Shape::Str),
                    ("configured", Shape::Bool),
                    ("gateway_name", Shape::Str),
                ])),
            )]),
        ),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("recurring_invoice_id", Shape::Str),
        ("reference_number", Shape::Str),
        ("reminders_sent", Shape::Int),
        ("salesperson_id", Shape::Str),
        ("salesperson_name", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("shipping_charge", Shape::Num),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_amount_withheld", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("template_id", Shape::Str),
        ("template_name", Shape::Str),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        ("write_off_amount", Shape::Num),
    ]),
    update: Shape::Obj(&[
        ("ach_payment_initiated", Shape::Bool),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("allow_partial_payments", Shape::Bool),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("can_send_in_mail", Shape::Bool),
        ("cfdi_reference_type", Shape::Str),
        ("cfdi_usage", Shape::Str),
        ("client_viewed_time", Shape::Str),
        (
            "contact_persons_associated",
            Shape::Arr(&Shape::Obj(&[
                (
                    "communication_preference",
                    Shape::Obj(&[
                        ("is_email_enabled", Shape::Bool),
                        ("is_sms_enabled", Shape::Bool),
                        ("is_whatsapp_enabled", Shape::Bool),
                    ]),
                ),
                ("contact_person_email", Shape::Str),
                ("contact_person_id", Shape::Int),
                ("contact_person_name", Shape::Str),
                ("first_name", Shape::Str),
                ("last_name", Shape::Str),
                ("mobile", Shape::Str),
                ("phone", Shape::Str),
            ])),
        ),
        ("created_time", Shape::Str),
        ("credits_applied", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("discount", Shape::Num),
        ("discount_type", Shape::Str),
        ("due_date", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("has_attachment", Shape::Bool),
        ("invoice_id", Shape::Str),
        ("invoice_number", Shape::Str),
        ("invoice_url", Shape::Str),
        ("is_discount_before_tax", Shape::Bool),
        ("is_emailed", Shape::Bool),
        ("is_inclusive_tax", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_viewed_by_client", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("last_payment_date", Shape::Str),
        ("last_reminder_sent_date", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("bcy_rate", Shape::Num),
                ("description", Shape::Str),
                ("discount", Shape::Num),
                ("discount_amount", Shape::Num),
                ("expense_id", Shape::Str),
                ("expense_receipt_name", Shape::Str),
                ("header_id", Shape::Str),
                ("header_name", Shape::Str),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_type", Shape::Str),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                ("sat_item_key_code", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Str),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Str),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Num),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("tds_tax_id", Shape::Str),
                ("time_entry_ids", Shape::Arr(&Shape::Str)),
                ("unit", Shape::Str),
                ("unitkey_code", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        (
            "payment_options",
            Shape::Obj(&[(
                "payment_gateways",
                Shape::Arr(&Shape::Obj(&[
                    ("additional_field1", Shape::Str),
                    ("configured", Shape::Bool),
                    ("gateway_name", Shape::Str),
                ])),
            )]),
        ),
        ("payment_reminder_enabled", Shape::Bool),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("recurring_invoice_id", Shape::Str),
        ("reference_invoice_id", Shape::Str),
        ("reference_number", Shape::Str),
        ("reminders_sent", Shape::Int),
        ("salesperson_id", Shape::Str),
        ("salesperson_name", Shape::Str),
        (
            "shipping_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("shipping_charge", Shape::Num),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_amount_withheld", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("template_id", Shape::Str),
        ("template_name", Shape::Str),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        ("write_off_amount", Shape::Num),
    ]),
    list: Shape::Obj(&[
        ("ach_payment_initiated", Shape::Bool),
        ("adjustment", Shape::Num),
        ("balance", Shape::Num),
        ("client_viewed_time", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Int),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("documents", Shape::Str),
        ("due_date", Shape::Str),
        ("due_days", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("has_attachment", Shape::Bool),
        ("invoice_id", Shape::Str),
        ("invoice_number", Shape::Str),
        ("is_emailed", Shape::Bool),
        ("is_viewed_by_client", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("last_payment_date", Shape::Str),
        ("last_reminder_sent_date", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("payment_expected_date", Shape::Str),
        ("reference_number", Shape::Str),
        ("reminders_sent", Shape::Int),
        ("salesperson_id", Shape::Str),
        ("salesperson_name", Shape::Str),
        ("schedule_time", Shape::Str),
        ("shipping_charge", Shape::Num),
        ("status", Shape::Str),
        ("total", Shape::Num),
        ("write_off_amount", Shape::Num),
    ]),
    create_required: &["customer_id", "line_items"],
    update_required: &["customer_id", "line_items"],
};

/// `customer-payments.yml`: `create_customer_payment`, `get_customer_payment`, `update_customer_payment`, `list_customer_payments`.
pub(crate) static CUSTOMER_PAYMENT: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("amount", Shape::Num),
        ("amount_refunded", Shape::Num),
        ("bank_charges", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("data_type", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("email", Shape::Str),
        (
            "invoices",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("balance_amount", Shape::Num),
                ("date", Shape::Any),
                ("invoice_amount", Shape::Num),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("amount", Shape::Num),
        ("amount_refunded", Shape::Num),
        ("bank_charges", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("data_type", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("email", Shape::Str),
        (
            "invoices",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("balance_amount", Shape::Num),
                ("date", Shape::Any),
                ("invoice_amount", Shape::Num),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("amount", Shape::Num),
        ("amount_refunded", Shape::Num),
        ("bank_charges", Shape::Num),
        ("currency_code", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("data_type", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("customer_id", Shape::Str),
        ("customer_name", Shape::Str),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("email", Shape::Str),
        (
            "invoices",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("balance_amount", Shape::Num),
                ("date", Shape::Any),
                ("invoice_amount", Shape::Num),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("amount", Shape::Num),
        ("bcy_amount", Shape::Str),
        ("date", Shape::Str),
        ("invoice_number", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("payment_number", Shape::Str),
    ]),
    create_required: &[
        "amount",
        "amount_applied",
        "customer_id",
        "date",
        "invoice_id",
        "invoices",
        "payment_mode",
    ],
    update_required: &[
        "amount",
        "amount_applied",
        "customer_id",
        "invoice_id",
        "invoices",
        "payment_mode",
    ],
};

/// `bills.yml`: `create_bill`, `get_bill`, `update_bill`, `list_bills`.
pub(crate) static BILL: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        (
            "acquisition_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("acquisition_vat_total", Shape::Num),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        ("bill_id", Shape::Str),
        ("bill_number", Shape::Str),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("created_by_id", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Int),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("destination_of_supply", Shape::Str),
        (
            "documents",
            Shape::Arr(&Shape::Obj(&[
                ("document_id", Shape::Int),
                ("file_name", Shape::Str),
            ])),
        ),
        ("due_by_days", Shape::Str),
        ("due_date", Shape::Str),
        ("due_in_days", Shape::Int),
        ("exchange_rate", Shape::Num),
        ("filed_in_vat_return_id", Shape::Str),
        ("filed_in_vat_return_name", Shape::Str),
        ("filed_in_vat_return_type", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("is_abn_quoted", Shape::Str),
        ("is_inclusive_tax", Shape::Bool),
        ("is_item_level_tax_calc", Shape::Bool),
        ("is_line_item_invoiced", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_tds_applied", Shape::Bool),
        ("last_modified_time", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("bcy_rate", Shape::Int),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("description", Shape::Str),
                ("hsn_or_sac", Shape::Str),
                ("image_document_id", Shape::Str),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
                ("is_billable", Shape::Bool),
                (
                    "item_custom_fields",
                    Shape::Arr(&Shape::Obj(&[
                        ("custom_field_id", Shape::Int),
                        ("index", Shape::Int),
                        ("label", Shape::Str),
                        ("value", Shape::Str),
                    ])),
                ),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_total_inclusive_of_tax", Shape::Num),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("purchaseorder_item_id", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                ("reverse_charge_tax_amount", Shape::Num),
                ("reverse_charge_tax_id", Shape::Str),
                ("reverse_charge_tax_name", Shape::Str),
                ("reverse_charge_tax_percentage", Shape::Num),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                ("sku", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("tag_id", Shape::Int),
                        ("tag_option_id", Shape::Int),
                    ])),
                ),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Int),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("tds_tax_id", Shape::Str),
                ("unit", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("open_purchaseorders_count", Shape::Int),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        (
            "payments",
            Shape::Arr(&Shape::Obj(&[
                ("ach_gw_transaction_id", Shape::Str),
                ("ach_payment_status", Shape::Str),
                ("amount", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_payment_id", Shape::Str),
                (
                    "check_details",
                    Shape::Arr(&Shape::Obj(&[
                        ("check_number", Shape::Str),
                        ("check_status", Shape::Str),
                    ])),
                ),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("exchange_rate", Shape::Num),
                ("filed_in_vat_return_id", Shape::Str),
                ("filed_in_vat_return_name", Shape::Str),
                ("filed_in_vat_return_type", Shape::Str),
                ("is_ach_payment", Shape::Bool),
                ("is_paid_via_print_check", Shape::Bool),
                ("is_single_bill_payment", Shape::Bool),
                ("paid_through_account_id", Shape::Str),
                ("paid_through_account_name", Shape::Str),
                ("payment_id", Shape::Str),
                ("payment_mode", Shape::Str),
                ("payment_number", Shape::Str),
                ("reference_number", Shape::Str),
            ])),
        ),
        ("permit_number", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("pricebook_id", Shape::Str),
        ("pricebook_name", Shape::Str),
        ("purchaseorder_ids", Shape::Arr(&Shape::Str)),
        (
            "purchaseorders",
            Shape::Arr(&Shape::Obj(&[
                ("purchaseorder_date", Shape::Str),
                ("purchaseorder_id", Shape::Str),
                ("purchaseorder_number", Shape::Str),
                ("purchaseorder_status", Shape::Str),
            ])),
        ),
        ("recurring_bill_id", Shape::Str),
        ("reference_id", Shape::Str),
        ("reference_number", Shape::Str),
        (
            "reverse_charge_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("reverse_charge_vat_total", Shape::Num),
        ("source_of_supply", Shape::Str),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("unused_credits_payable_amount", Shape::Int),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        (
            "vendor_credits",
            Shape::Arr(&Shape::Obj(&[
                ("amount", Shape::Num),
                ("date", Shape::Str),
                ("vendor_credit_bill_id", Shape::Str),
                ("vendor_credit_id", Shape::Str),
                ("vendor_credit_number", Shape::Str),
            ])),
        ),
        ("vendor_credits_applied", Shape::Int),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
    ]),
    get: Shape::Obj(&[
        (
            "acquisition_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("acquisition_vat_total", Shape::Num),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        ("bill_id", Shape::Str),
        ("bill_number", Shape::Str),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("created_by_id", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Int),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("destination_of_supply", Shape::Str),
        (
            "documents",
            Shape::Arr(&Shape::Obj(&[
                ("document_id", Shape::Int),
                ("file_name", Shape::Str),
            ])),
        ),
        ("due_by_days", Shape::Str),
        ("due_date", Shape::Str),
        ("due_in_days", Shape::Int),
        ("exchange_rate", Shape::Num),
        ("filed_in_vat_return_id", Shape::Str),
        ("filed_in_vat_return_name", Shape::Str),
        ("filed_in_vat_return_type", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("is_abn_quoted", Shape::Str),
        ("is_inclusive_tax", Shape::Bool),
        ("is_item_level_tax_calc", Shape::Bool),
        ("is_line_item_invoiced", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_tds_applied", Shape::Bool),
        ("last_modified_time", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("bcy_rate", Shape::Int),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("description", Shape::Str),
                ("hsn_or_sac", Shape::Str),
                ("image_document_id", Shape::Str),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
                ("is_billable", Shape::Bool),
                (
                    "item_custom_fields",
                    Shape::Arr(&Shape::Obj(&[
                        ("custom_field_id", Shape::Int),
                        ("index", Shape::Int),
                        ("label", Shape::Str),
                        ("value", Shape::Str),
                    ])),
                ),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_total_inclusive_of_tax", Shape::Num),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("purchaseorder_item_id", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                ("reverse_charge_tax_amount", Shape::Num),
                ("reverse_charge_tax_id", Shape::Str),
                ("reverse_charge_tax_name", Shape::Str),
                ("reverse_charge_tax_percentage", Shape::Num),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                ("sku", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("tag_id", Shape::Int),
                        ("tag_option_id", Shape::Int),
                    ])),
                ),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Int),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("tds_tax_id", Shape::Str),
                ("unit", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("open_purchaseorders_count", Shape::Int),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        (
            "payments",
            Shape::Arr(&Shape::Obj(&[
                ("ach_gw_transaction_id", Shape::Str),
                ("ach_payment_status", Shape::Str),
                ("amount", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_payment_id", Shape::Str),
                (
                    "check_details",
                    Shape::Arr(&Shape::Obj(&[
                        ("check_number", Shape::Str),
                        ("check_status", Shape::Str),
                    ])),
                ),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("exchange_rate", Shape::Num),
                ("filed_in_vat_return_id", Shape::Str),
                ("filed_in_vat_return_name", Shape::Str),
                ("filed_in_vat_return_type", Shape::Str),
                ("is_ach_payment", Shape::Bool),
                ("is_paid_via_print_check", Shape::Bool),
                ("is_single_bill_payment", Shape::Bool),
                ("paid_through_account_id", Shape::Str),
                ("paid_through_account_name", Shape::Str),
                ("payment_id", Shape::Str),
                ("payment_mode", Shape::Str),
                ("payment_number", Shape::Str),
                ("reference_number", Shape::Str),
            ])),
        ),
        ("permit_number", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("pricebook_id", Shape::Str),
        ("pricebook_name", Shape::Str),
        ("purchaseorder_ids", Shape::Arr(&Shape::Str)),
        (
            "purchaseorders",
            Shape::Arr(&Shape::Obj(&[
                ("purchaseorder_date", Shape::Str),
                ("purchaseorder_id", Shape::Str),
                ("purchaseorder_number", Shape::Str),
                ("purchaseorder_status", Shape::Str),
            ])),
        ),
        ("recurring_bill_id", Shape::Str),
        ("reference_id", Shape::Str),
        ("reference_number", Shape::Str),
        (
            "reverse_charge_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("reverse_charge_vat_total", Shape::Num),
        ("source_of_supply", Shape::Str),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("unused_credits_payable_amount", Shape::Int),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        (
            "vendor_credits",
            Shape::Arr(&Shape::Obj(&[
                ("amount", Shape::Num),
                ("date", Shape::Str),
                ("vendor_credit_bill_id", Shape::Str),
                ("vendor_credit_id", Shape::Str),
                ("vendor_credit_number", Shape::Str),
            ])),
        ),
        ("vendor_credits_applied", Shape::Int),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
    ]),
    update: Shape::Obj(&[
        (
            "acquisition_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("acquisition_vat_total", Shape::Num),
        ("adjustment", Shape::Num),
        ("adjustment_description", Shape::Str),
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        ("bill_id", Shape::Str),
        ("bill_number", Shape::Str),
        (
            "billing_address",
            Shape::Obj(&[
                ("address", Shape::Str),
                ("attention", Shape::Str),
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("fax", Shape::Str),
                ("state", Shape::Str),
                ("street2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("created_by_id", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Int),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("destination_of_supply", Shape::Str),
        (
            "documents",
            Shape::Arr(&Shape::Obj(&[
                ("document_id", Shape::Int),
                ("file_name", Shape::Str),
            ])),
        ),
        ("due_by_days", Shape::Str),
        ("due_date", Shape::Str),
        ("due_in_days", Shape::Int),
        ("exchange_rate", Shape::Num),
        ("filed_in_vat_return_id", Shape::Str),
        ("filed_in_vat_return_name", Shape::Str),
        ("filed_in_vat_return_type", Shape::Str),
        ("gst_no", Shape::Str),
        ("gst_treatment", Shape::Str),
        ("is_abn_quoted", Shape::Str),
        ("is_inclusive_tax", Shape::Bool),
        ("is_item_level_tax_calc", Shape::Bool),
        ("is_line_item_invoiced", Shape::Bool),
        ("is_pre_gst", Shape::Bool),
        ("is_reverse_charge_applied", Shape::Bool),
        ("is_tds_applied", Shape::Bool),
        ("last_modified_time", Shape::Str),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("bcy_rate", Shape::Int),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("description", Shape::Str),
                ("hsn_or_sac", Shape::Str),
                ("image_document_id", Shape::Str),
                ("invoice_id", Shape::Str),
                ("invoice_number", Shape::Str),
                ("is_billable", Shape::Bool),
                (
                    "item_custom_fields",
                    Shape::Arr(&Shape::Obj(&[
                        ("custom_field_id", Shape::Int),
                        ("index", Shape::Int),
                        ("label", Shape::Str),
                        ("value", Shape::Str),
                    ])),
                ),
                ("item_id", Shape::Str),
                ("item_order", Shape::Int),
                ("item_total", Shape::Num),
                ("item_total_inclusive_of_tax", Shape::Num),
                ("line_item_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("name", Shape::Str),
                ("product_type", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("purchaseorder_item_id", Shape::Str),
                ("quantity", Shape::Num),
                ("rate", Shape::Num),
                ("reverse_charge_tax_amount", Shape::Num),
                ("reverse_charge_tax_id", Shape::Str),
                ("reverse_charge_tax_name", Shape::Str),
                ("reverse_charge_tax_percentage", Shape::Num),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                ("sku", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("tag_id", Shape::Int),
                        ("tag_option_id", Shape::Int),
                    ])),
                ),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Int),
                ("tax_treatment_code", Shape::Str),
                ("tax_type", Shape::Str),
                ("tds_tax_id", Shape::Str),
                ("unit", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("open_purchaseorders_count", Shape::Int),
        ("payment_expected_date", Shape::Str),
        ("payment_made", Shape::Num),
        ("payment_terms", Shape::Int),
        ("payment_terms_label", Shape::Str),
        (
            "payments",
            Shape::Arr(&Shape::Obj(&[
                ("ach_gw_transaction_id", Shape::Str),
                ("ach_payment_status", Shape::Str),
                ("amount", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_payment_id", Shape::Str),
                (
                    "check_details",
                    Shape::Arr(&Shape::Obj(&[
                        ("check_number", Shape::Str),
                        ("check_status", Shape::Str),
                    ])),
                ),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("exchange_rate", Shape::Num),
                ("filed_in_vat_return_id", Shape::Str),
                ("filed_in_vat_return_name", Shape::Str),
                ("filed_in_vat_return_type", Shape::Str),
                ("is_ach_payment", Shape::Bool),
                ("is_paid_via_print_check", Shape::Bool),
                ("is_single_bill_payment", Shape::Bool),
                ("paid_through_account_id", Shape::Str),
                ("paid_through_account_name", Shape::Str),
                ("payment_id", Shape::Str),
                ("payment_mode", Shape::Str),
                ("payment_number", Shape::Str),
                ("reference_number", Shape::Str),
            ])),
        ),
        ("permit_number", Shape::Str),
        ("place_of_supply", Shape::Str),
        ("price_precision", Shape::Int),
        ("pricebook_id", Shape::Str),
        ("pricebook_name", Shape::Str),
        ("purchaseorder_ids", Shape::Arr(&Shape::Str)),
        (
            "purchaseorders",
            Shape::Arr(&Shape::Obj(&[
                ("purchaseorder_date", Shape::Str),
                ("purchaseorder_id", Shape::Str),
                ("purchaseorder_number", Shape::Str),
                ("purchaseorder_status", Shape::Str),
            ])),
        ),
        ("recurring_bill_id", Shape::Str),
        ("reference_id", Shape::Str),
        ("reference_number", Shape::Str),
        (
            "reverse_charge_vat_summary",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("reverse_charge_vat_total", Shape::Num),
        ("source_of_supply", Shape::Str),
        ("status", Shape::Str),
        ("sub_total", Shape::Num),
        ("tax_total", Shape::Num),
        ("tax_treatment", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("terms", Shape::Str),
        ("total", Shape::Num),
        ("unused_credits_payable_amount", Shape::Int),
        ("vat_reg_no", Shape::Str),
        ("vat_treatment", Shape::Str),
        (
            "vendor_credits",
            Shape::Arr(&Shape::Obj(&[
                ("amount", Shape::Num),
                ("date", Shape::Str),
                ("vendor_credit_bill_id", Shape::Str),
                ("vendor_credit_id", Shape::Str),
                ("vendor_credit_number", Shape::Str),
            ])),
        ),
        ("vendor_credits_applied", Shape::Int),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("attachment_name", Shape::Str),
        ("balance", Shape::Num),
        ("bill_id", Shape::Str),
        ("bill_number", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("date", Shape::Str),
        ("due_date", Shape::Str),
        ("due_days", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("has_attachment", Shape::Bool),
        ("is_abn_quoted", Shape::Str),
        ("is_tds_applied", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("price_precision", Shape::Int),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
        ("total", Shape::Num),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
    ]),
    create_required: &["bill_number", "vendor_id"],
    update_required: &["bill_number", "vendor_id"],
};

/// `vendor-payments.yml`: `create_vendor_payment`, `get_vendor_payment`, `update_vendor_payment`, `list_vendor_payments`.
pub(crate) static VENDOR_PAYMENT: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("ach_payment_status", Shape::Str),
        ("amount", Shape::Num),
        ("balance", Shape::Num),
        ("billing_address", Shape::Arr(&Shape::Str)),
        (
            "bills",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("balance", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_number", Shape::Str),
                ("bill_payment_id", Shape::Str),
                ("date", Shape::Str),
                ("due_date", Shape::Str),
                ("price_precision", Shape::Int),
                ("tax_amount_withheld", Shape::Num),
                ("total", Shape::Num),
            ])),
        ),
        (
            "check_details",
            Shape::Obj(&[
                ("amount_in_words", Shape::Str),
                ("check_id", Shape::Str),
                ("check_number", Shape::Str),
                ("check_status", Shape::Str),
                ("memo", Shape::Str),
            ]),
        ),
        ("comments", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("exchange_rate", Shape::Num),
        ("imported_transactions", Shape::Arr(&Shape::Str)),
        ("is_ach_payment", Shape::Bool),
        ("is_paid_via_print_check", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("paid_through_account_id", Shape::Str),
        ("paid_through_account_name", Shape::Str),
        ("paid_through_account_type", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("payment_number", Shape::Int),
        ("reference_number", Shape::Str),
        ("tax_account_name", Shape::Str),
        ("tax_amount_withheld", Shape::Num),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
        (
            "vendorpayment_refunds",
            Shape::Arr(&Shape::Obj(&[
                ("amount_bcy", Shape::Num),
                ("amount_fcy", Shape::Num),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("reference_number", Shape::Str),
                ("refund_mode", Shape::Str),
                ("vendorpayment_refund_id", Shape::Str),
            ])),
        ),
    ]),
    get: Shape::Obj(&[
        ("ach_payment_status", Shape::Str),
        ("amount", Shape::Num),
        ("balance", Shape::Num),
        ("billing_address", Shape::Arr(&Shape::Str)),
        (
            "bills",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_payment_id", Shape::Str),
                ("tax_amount_withheld", Shape::Num),
            ])),
        ),
        (
            "check_details",
            Shape::Obj(&[
                ("amount_in_words", Shape::Str),
                ("check_id", Shape::Str),
                ("check_number", Shape::Str),
                ("check_status", Shape::Str),
                ("memo", Shape::Str),
            ]),
        ),
        ("comments", Shape::Str),
        ("created_time", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("exchange_rate", Shape::Num),
        ("is_ach_payment", Shape::Bool),
        ("is_paid_via_print_check", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("paid_through_account_id", Shape::Str),
        ("paid_through_account_name", Shape::Str),
        ("paid_through_account_type", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("payment_number", Shape::Int),
        ("reference_number", Shape::Str),
        ("tax_account_name", Shape::Str),
        ("tax_amount_withheld", Shape::Num),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
        (
            "vendorpayment_refunds",
            Shape::Arr(&Shape::Obj(&[
                ("amount_bcy", Shape::Num),
                ("amount_fcy", Shape::Num),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("reference_number", Shape::Str),
                ("refund_mode", Shape::Str),
                ("vendorpayment_refund_id", Shape::Str),
            ])),
        ),
    ]),
    update: Shape::Obj(&[
        ("ach_payment_status", Shape::Str),
        ("amount", Shape::Num),
        ("balance", Shape::Num),
        ("billing_address", Shape::Arr(&Shape::Str)),
        (
            "bills",
            Shape::Arr(&Shape::Obj(&[
                ("amount_applied", Shape::Num),
                ("bill_id", Shape::Str),
                ("bill_payment_id", Shape::Str),
                ("tax_amount_withheld", Shape::Num),
            ])),
        ),
        ("check_details", Shape::Arr(&Shape::Str)),
        ("created_time", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("custom_field_id", Shape::Str),
                ("index", Shape::Int),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("exchange_rate", Shape::Num),
        ("imported_transactions", Shape::Arr(&Shape::Str)),
        ("is_ach_payment", Shape::Bool),
        ("is_paid_via_print_check", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("paid_through_account_id", Shape::Str),
        ("paid_through_account_name", Shape::Str),
        ("paid_through_account_type", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("payment_number", Shape::Int),
        ("reference_number", Shape::Str),
        ("tax_account_name", Shape::Str),
        ("tax_amount_withheld", Shape::Num),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
        (
            "vendorpayment_refunds",
            Shape::Arr(&Shape::Obj(&[
                ("amount_bcy", Shape::Num),
                ("amount_fcy", Shape::Num),
                ("date", Shape::Str),
                ("description", Shape::Str),
                ("reference_number", Shape::Str),
                ("refund_mode", Shape::Str),
                ("vendorpayment_refund_id", Shape::Str),
            ])),
        ),
    ]),
    list: Shape::Obj(&[
        ("ach_gw_transaction_id", Shape::Str),
        ("ach_payment_status", Shape::Str),
        ("amount", Shape::Num),
        ("balance", Shape::Num),
        ("bcy_amount", Shape::Int),
        ("bcy_balance", Shape::Int),
        ("bill_numbers", Shape::Str),
        (
            "check_details",
            Shape::Arr(&Shape::Obj(&[
                ("check_id", Shape::Str),
                ("check_number", Shape::Str),
                ("check_status", Shape::Str),
                ("memo", Shape::Str),
            ])),
        ),
        ("created_time", Shape::Str),
        ("date", Shape::Str),
        ("description", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("has_attachment", Shape::Bool),
        ("is_ach_payment", Shape::Bool),
        ("is_paid_via_print_check", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("paid_through_account_id", Shape::Str),
        ("paid_through_account_name", Shape::Str),
        ("payment_id", Shape::Str),
        ("payment_mode", Shape::Str),
        ("payment_number", Shape::Int),
        ("reference_number", Shape::Str),
        ("vendor_id", Shape::Str),
        ("vendor_name", Shape::Str),
    ]),
    create_required: &["amount"],
    update_required: &["amount"],
};

/// `journals.yml`: `create_journal`, `get_journal`, `update_journal`, `list_journals`.
pub(crate) static JOURNAL: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("bcy_total", Shape::Num),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("entry_number", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("include_in_vat_return", Shape::Bool),
        ("is_bas_adjustment", Shape::Bool),
        ("journal_date", Shape::Str),
        ("journal_id", Shape::Str),
        ("journal_type", Shape::Str),
        ("last_modified_time", Shape::Str),
        ("line_item_total", Shape::Num),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("amount", Shape::Num),
                ("bcy_amount", Shape::Num),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("debit_or_credit", Shape::Str),
                ("description", Shape::Str),
                ("line_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Int),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Int),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_authority_id", Shape::Str),
                ("tax_authority_name", Shape::Str),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_exemption_type", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Str),
                ("tax_type", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("price_precision", Shape::Int),
        ("product_type", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("debit_or_credit", Shape::Str),
                ("tax_account", Shape::Bool),
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("total", Shape::Num),
        ("vat_treatment", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("bcy_total", Shape::Num),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("entry_number", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("include_in_vat_return", Shape::Bool),
        ("is_bas_adjustment", Shape::Bool),
        ("journal_date", Shape::Str),
        ("journal_id", Shape::Str),
        ("journal_type", Shape::Str),
        ("last_modified_time", Shape::Str),
        ("line_item_total", Shape::Num),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("amount", Shape::Num),
                ("bcy_amount", Shape::Num),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("debit_or_credit", Shape::Str),
                ("description", Shape::Str),
                ("line_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Int),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Int),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_authority_id", Shape::Str),
                ("tax_authority_name", Shape::Str),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_exemption_type", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Str),
                ("tax_type", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("price_precision", Shape::Int),
        ("product_type", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("debit_or_credit", Shape::Str),
                ("tax_account", Shape::Bool),
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("total", Shape::Num),
        ("vat_treatment", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("bcy_total", Shape::Num),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("entry_number", Shape::Str),
        ("exchange_rate", Shape::Num),
        ("include_in_vat_return", Shape::Bool),
        ("is_bas_adjustment", Shape::Bool),
        ("journal_date", Shape::Str),
        ("journal_id", Shape::Str),
        ("journal_type", Shape::Str),
        ("last_modified_time", Shape::Str),
        ("line_item_total", Shape::Num),
        (
            "line_items",
            Shape::Arr(&Shape::Obj(&[
                ("account_id", Shape::Str),
                ("account_name", Shape::Str),
                ("acquisition_vat_amount", Shape::Str),
                ("acquisition_vat_id", Shape::Str),
                ("acquisition_vat_name", Shape::Str),
                ("acquisition_vat_percentage", Shape::Str),
                ("amount", Shape::Num),
                ("bcy_amount", Shape::Num),
                ("customer_id", Shape::Str),
                ("customer_name", Shape::Str),
                ("debit_or_credit", Shape::Str),
                ("description", Shape::Str),
                ("line_id", Shape::Str),
                ("location_id", Shape::Str),
                ("location_name", Shape::Str),
                ("project_id", Shape::Str),
                ("project_name", Shape::Str),
                ("reverse_charge_vat_amount", Shape::Str),
                ("reverse_charge_vat_id", Shape::Str),
                ("reverse_charge_vat_name", Shape::Str),
                ("reverse_charge_vat_percentage", Shape::Str),
                (
                    "tags",
                    Shape::Arr(&Shape::Obj(&[
                        ("is_tag_mandatory", Shape::Bool),
                        ("tag_id", Shape::Int),
                        ("tag_name", Shape::Str),
                        ("tag_option_id", Shape::Int),
                        ("tag_option_name", Shape::Str),
                    ])),
                ),
                ("tax_authority_id", Shape::Str),
                ("tax_authority_name", Shape::Str),
                ("tax_exemption_code", Shape::Str),
                ("tax_exemption_id", Shape::Str),
                ("tax_exemption_type", Shape::Str),
                ("tax_id", Shape::Str),
                ("tax_name", Shape::Str),
                ("tax_percentage", Shape::Str),
                ("tax_type", Shape::Str),
            ])),
        ),
        ("location_id", Shape::Str),
        ("location_name", Shape::Str),
        ("notes", Shape::Str),
        ("price_precision", Shape::Int),
        ("product_type", Shape::Str),
        ("reference_number", Shape::Str),
        ("status", Shape::Str),
        (
            "taxes",
            Shape::Arr(&Shape::Obj(&[
                ("debit_or_credit", Shape::Str),
                ("tax_account", Shape::Bool),
                ("tax_amount", Shape::Num),
                ("tax_name", Shape::Str),
            ])),
        ),
        ("total", Shape::Num),
        ("vat_treatment", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("bcy_total", Shape::Num),
        ("currency_id", Shape::Str),
        ("custom_field", Shape::Str),
        ("entity_type", Shape::Str),
        ("entry_number", Shape::Str),
        ("journal_date", Shape::Str),
        ("journal_id", Shape::Str),
        ("journal_type", Shape::Str),
        ("notes", Shape::Str),
        ("reference_number", Shape::Str),
        ("total", Shape::Num),
    ]),
    create_required: &["journal_date"],
    update_required: &["journal_date"],
};

/// `chart-of-accounts.yml`: `create_chart_of_account`, `get_chart_of_account`, `update_chart_of_account`, `list_chart_of_accounts`.
pub(crate) static CHART_OF_ACCOUNT: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("account_code", Shape::Str),
        ("account_id", Shape::Str),
        ("account_name", Shape::Str),
        ("account_type", Shape::Str),
        ("can_show_in_ze", Shape::Bool),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("include_in_vat_return", Shape::Bool),
        ("is_active", Shape::Bool),
        ("is_involved_in_transaction", Shape::Bool),
        ("is_system_account", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("parent_account_id", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("account_code", Shape::Str),
        ("account_id", Shape::Str),
        ("account_name", Shape::Str),
        ("account_type", Shape::Str),
        ("can_show_in_ze", Shape::Bool),
        ("closing_balance", Shape::Num),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("include_in_vat_return", Shape::Bool),
        ("is_active", Shape::Bool),
        ("is_involved_in_transaction", Shape::Bool),
        ("is_system_account", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("parent_account_id", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("account_code", Shape::Str),
        ("account_id", Shape::Str),
        ("account_name", Shape::Str),
        ("account_type", Shape::Str),
        ("can_show_in_ze", Shape::Bool),
        ("created_time", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_id", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("customfield_id", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("description", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("include_in_vat_return", Shape::Bool),
        ("is_active", Shape::Bool),
        ("is_involved_in_transaction", Shape::Bool),
        ("is_system_account", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("parent_account_id", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("account_code", Shape::Str),
        ("account_id", Shape::Str),
        ("account_name", Shape::Str),
        ("account_type", Shape::Str),
        ("can_show_in_ze", Shape::Bool),
        ("child_count", Shape::Str),
        ("created_time", Shape::Str),
        ("current_balance", Shape::Any),
        ("depth", Shape::Str),
        ("documents", Shape::Arr(&Shape::Str)),
        ("has_attachment", Shape::Bool),
        ("is_active", Shape::Bool),
        ("is_child_present", Shape::Str),
        ("is_involved_in_transaction", Shape::Bool),
        ("is_standalone_account", Shape::Bool),
        ("is_system_account", Shape::Bool),
        ("is_user_created", Shape::Bool),
        ("last_modified_time", Shape::Str),
        ("parent_account_id", Shape::Str),
        ("parent_account_name", Shape::Str),
    ]),
    create_required: &[],
    update_required: &[],
};

/// `taxes.yml`: `create_tax`, `get_tax`, `update_tax`, `list_taxes`.
pub(crate) static TAX: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("country", Shape::Str),
        ("country_code", Shape::Str),
        ("is_value_added", Shape::Bool),
        ("purchase_tax_expense_account_id", Shape::Int),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_factor", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_specific_type", Shape::Str),
        ("tax_type", Shape::Str),
        ("tds_payable_account_id", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("country", Shape::Str),
        ("country_code", Shape::Str),
        ("is_value_added", Shape::Bool),
        ("purchase_tax_expense_account_id", Shape::Int),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_factor", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_specific_type", Shape::Str),
        ("tax_type", Shape::Str),
        ("tds_payable_account_id", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("country", Shape::Str),
        ("country_code", Shape::Str),
        ("is_value_added", Shape::Bool),
        ("purchase_tax_expense_account_id", Shape::Int),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_factor", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_specific_type", Shape::Str),
        ("tax_type", Shape::Str),
        ("tds_payable_account_id", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("is_default_tax", Shape::Bool),
        ("is_editable", Shape::Bool),
        ("is_value_added", Shape::Bool),
        ("output_tax_account_name", Shape::Str),
        ("purchase_tax_account_id", Shape::Str),
        ("purchase_tax_account_name", Shape::Str),
        ("tax_account_id", Shape::Str),
        ("tax_authority_id", Shape::Str),
        ("tax_authority_name", Shape::Str),
        ("tax_factor", Shape::Str),
        ("tax_id", Shape::Str),
        ("tax_name", Shape::Str),
        ("tax_percentage", Shape::Num),
        ("tax_specific_type", Shape::Str),
        ("tax_type", Shape::Str),
    ]),
    create_required: &[],
    update_required: &[],
};

/// `organizations.yml`: `create_organization`, `get_organization`, `update_organization`, `list_organizations`.
pub(crate) static ORGANIZATION: EntitySpec = EntitySpec {
    create: Shape::Obj(&[
        ("account_created_date", Shape::Str),
        (
            "address",
            Shape::Obj(&[
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("state", Shape::Str),
                ("street_address1", Shape::Str),
                ("street_address2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("contact_name", Shape::Str),
        ("date_format", Shape::Str),
        ("field_separator", Shape::Str),
        ("fiscal_year_start_month", Shape::Num),
        ("industry_type", Shape::Str),
        ("is_default_org", Shape::Bool),
        ("is_logo_uploaded", Shape::Str),
        ("language_code", Shape::Str),
        ("name", Shape::Str),
        ("organization_id", Shape::Str),
        ("tax_group_enabled", Shape::Bool),
        ("time_zone", Shape::Str),
        ("user_role", Shape::Str),
        ("user_status", Shape::Str),
    ]),
    get: Shape::Obj(&[
        ("account_created_date", Shape::Str),
        (
            "address",
            Shape::Obj(&[
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("state", Shape::Str),
                ("street_address1", Shape::Str),
                ("street_address2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("company_id_label", Shape::Str),
        ("company_id_value", Shape::Str),
        ("contact_name", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_format", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("index", Shape::Num),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date_format", Shape::Str),
        ("email", Shape::Str),
        ("fax", Shape::Str),
        ("field_separator", Shape::Str),
        ("fiscal_year_start_month", Shape::Num),
        ("industry_size", Shape::Str),
        ("industry_type", Shape::Str),
        ("is_default_org", Shape::Bool),
        ("is_org_active", Shape::Bool),
        ("language_code", Shape::Str),
        ("name", Shape::Str),
        ("org_address", Shape::Str),
        ("organization_id", Shape::Str),
        ("phone", Shape::Str),
        ("price_precision", Shape::Num),
        ("remit_to_address", Shape::Str),
        ("tax_id_label", Shape::Str),
        ("tax_id_value", Shape::Str),
        ("time_zone", Shape::Str),
        ("website", Shape::Str),
    ]),
    update: Shape::Obj(&[
        ("account_created_date", Shape::Str),
        (
            "address",
            Shape::Obj(&[
                ("city", Shape::Str),
                ("country", Shape::Str),
                ("state", Shape::Str),
                ("street_address1", Shape::Str),
                ("street_address2", Shape::Str),
                ("zip", Shape::Str),
            ]),
        ),
        ("company_id_label", Shape::Str),
        ("company_id_value", Shape::Str),
        ("contact_name", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_format", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        (
            "custom_fields",
            Shape::Arr(&Shape::Obj(&[
                ("index", Shape::Num),
                ("label", Shape::Str),
                ("value", Shape::Str),
            ])),
        ),
        ("date_format", Shape::Str),
        ("email", Shape::Str),
        ("fax", Shape::Str),
        ("field_separator", Shape::Str),
        ("fiscal_year_start_month", Shape::Num),
        ("industry_size", Shape::Str),
        ("industry_type", Shape::Str),
        ("is_default_org", Shape::Bool),
        ("is_org_active", Shape::Bool),
        ("language_code", Shape::Str),
        ("name", Shape::Str),
        ("org_address", Shape::Str),
        ("organization_id", Shape::Str),
        ("phone", Shape::Str),
        ("price_precision", Shape::Num),
        ("remit_to_address", Shape::Str),
        ("tax_id_label", Shape::Str),
        ("tax_id_value", Shape::Str),
        ("time_zone", Shape::Str),
        ("website", Shape::Str),
    ]),
    list: Shape::Obj(&[
        ("account_created_date", Shape::Str),
        ("account_created_date_formatted", Shape::Str),
        ("contact_name", Shape::Str),
        ("currency_code", Shape::Str),
        ("currency_format", Shape::Str),
        ("currency_id", Shape::Str),
        ("currency_symbol", Shape::Str),
        ("email", Shape::Str),
        ("fiscal_year_start_month", Shape::Num),
        ("is_default_org", Shape::Bool),
        ("is_org_active", Shape::Bool),
        ("language_code", Shape::Str),
        ("name", Shape::Str),
        ("organization_id", Shape::Str),
        ("plan_name", Shape::Str),
        ("plan_period", Shape::Str),
        ("plan_type", Shape::Num),
        ("price_precision", Shape::Num),
        ("tax_group_enabled", Shape::Bool),
        ("time_zone", Shape::Str),
        ("zi_migration_status", Shape::Num),
    ]),
    create_required: &["currency_code", "name", "portal_name", "time_zone"],
    update_required: &[],
};

/// The documented request body of every create and update the simulator serves (and of
/// the upsert by a unique custom field), for validate.rs: types, required fields,
/// maximum lengths and allowed values read from the descriptions, and formats.
pub(crate) mod requests {
    use crate::schema::{Field, Format, Request, Ty};

    /// `contacts.yml`: `create_contact`, `update_contact`, `update_contact_using_custom_field`.
    pub(crate) static CONTACT: Request = Request {
        create: &[
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "billing_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "company_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "contact_number",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_persons",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "department",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "designation",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "email",
                        ty: Ty::Str,
                        max_len: 100,
                        format: Format::Email,
                        ..Field::NONE
                    },
                    Field {
                        name: "enable_portal",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "first_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_primary_contact",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "last_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "mobile",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "salutation",
                        ty: Ty::Str,
                        max_len: 25,
                        ..Field::NONE
                    },
                    Field {
                        name: "skype",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "contact_type",
                ty: Ty::Str,
                one_of: &["customer", "vendor"],
                ..Field::NONE
            },
            Field {
                name: "country_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "credit_limit",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_sub_type",
                ty: Ty::Str,
                one_of: &["individual", "business"],
                ..Field::NONE
            },
            Field {
                name: "default_templates",
                ty: Ty::Obj(&[
                    Field {
                        name: "bill_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "payment_remittance_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "statement_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "facebook",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "ignore_auto_number_generation",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_portal_enabled",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_tds_registered",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "language_code",
                ty: Ty::Str,
                one_of: &[
                    "de", "en", "es", "fr", "it", "ja", "nl", "pt", "pt_br", "sv", "zh", "en_gb",
                ],
                ..Field::NONE
            },
            Field {
                name: "legal_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "opening_balances",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "exchange_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "opening_balance_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "owner_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "place_of_contact",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "shipping_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "tags",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tag_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tag_option_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_certificate_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_value",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_regime",
                ty: Ty::Str,
                one_of: &[
                    "general_legal_person",
                    "legal_entities_non_profit",
                    "resident_abroad",
                    "production_cooperative_societies",
                    "agricultural_livestock",
                    "optional_group_of_companies",
                    "coordinated",
                    "simplified_trust",
                    "wages_salaries_income",
                    "lease",
                    "property_disposal_acquisition",
                    "other_income",
                    "resident_abroad",
                    "divident_income",
                    "individual_business_professional",
                    "interest_income",
                    "income_obtaining_price",
                    "no_tax_obligation",
                    "tax_incorporation",
                    "income_through_technology_platform",
                    "simplified_trust",
                ],
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tds_tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "track_1099",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "twitter",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "vat_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "website",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "billing_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "company_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "contact_number",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_persons",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "contact_person_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "department",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "designation",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "email",
                        ty: Ty::Str,
                        max_len: 100,
                        format: Format::Email,
                        ..Field::NONE
                    },
                    Field {
                        name: "enable_portal",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "first_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_primary_contact",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "last_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "mobile",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "salutation",
                        ty: Ty::Str,
                        max_len: 25,
                        ..Field::NONE
                    },
                    Field {
                        name: "skype",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "contact_type",
                ty: Ty::Str,
                one_of: &["customer", "vendor"],
                ..Field::NONE
            },
            Field {
                name: "country_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "credit_limit",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "label",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_sub_type",
                ty: Ty::Str,
                one_of: &["individual", "business"],
                ..Field::NONE
            },
            Field {
                name: "default_templates",
                ty: Ty::Obj(&[
                    Field {
                        name: "bill_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "payment_remittance_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "statement_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "facebook",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "ignore_auto_number_generation",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_tds_registered",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "legal_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "opening_balances",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "exchange_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "opening_balance_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "owner_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "place_of_contact",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "shipping_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "tags",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tag_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tag_option_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_certificate_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_value",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_regime",
                ty: Ty::Str,
                one_of: &[
                    "general_legal_person",
                    "legal_entities_non_profit",
                    "resident_abroad",
                    "production_cooperative_societies",
                    "agricultural_livestock",
                    "optional_group_of_companies",
                    "coordinated",
                    "simplified_trust",
                    "wages_salaries_income",
                    "lease",
                    "property_disposal_acquisition",
                    "other_income",
                    "resident_abroad",
                    "divident_income",
                    "individual_business_professional",
                    "interest_income",
                    "income_obtaining_price",
                    "no_tax_obligation",
                    "tax_incorporation",
                    "income_through_technology_platform",
                    "simplified_trust",
                ],
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "track_1099",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "twitter",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "vat_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "website",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "billing_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "company_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "contact_number",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "contact_persons",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "contact_person_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "department",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "designation",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "email",
                        ty: Ty::Str,
                        max_len: 100,
                        format: Format::Email,
                        ..Field::NONE
                    },
                    Field {
                        name: "enable_portal",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "first_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_primary_contact",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "last_name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "mobile",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "salutation",
                        ty: Ty::Str,
                        max_len: 25,
                        ..Field::NONE
                    },
                    Field {
                        name: "skype",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "contact_type",
                ty: Ty::Str,
                one_of: &["customer", "vendor"],
                ..Field::NONE
            },
            Field {
                name: "country_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "credit_limit",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "label",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_sub_type",
                ty: Ty::Str,
                one_of: &["individual", "business"],
                ..Field::NONE
            },
            Field {
                name: "default_templates",
                ty: Ty::Obj(&[
                    Field {
                        name: "bill_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "creditnote_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "estimate_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "payment_remittance_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_paymentthankyou_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "retainerinvoice_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_email_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "statement_template_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "facebook",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "ignore_auto_number_generation",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_tds_registered",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "legal_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "opening_balances",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "exchange_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "opening_balance_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "owner_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "place_of_contact",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "shipping_address",
                ty: Ty::Obj(&[
                    Field {
                        name: "address",
                        ty: Ty::Str,
                        max_len: 500,
                        ..Field::NONE
                    },
                    Field {
                        name: "attention",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "city",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "country",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "fax",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "phone",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                    Field {
                        name: "state",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "state_code",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "street2",
                        ty: Ty::Str,
                        max_len: 255,
                        ..Field::NONE
                    },
                    Field {
                        name: "zip",
                        ty: Ty::Str,
                        max_len: 50,
                        ..Field::NONE
                    },
                ]),
                ..Field::NONE
            },
            Field {
                name: "tags",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tag_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tag_option_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_certificate_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id_value",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_regime",
                ty: Ty::Str,
                one_of: &[
                    "general_legal_person",
                    "legal_entities_non_profit",
                    "resident_abroad",
                    "production_cooperative_societies",
                    "agricultural_livestock",
                    "optional_group_of_companies",
                    "coordinated",
                    "simplified_trust",
                    "wages_salaries_income",
                    "lease",
                    "property_disposal_acquisition",
                    "other_income",
                    "resident_abroad",
                    "divident_income",
                    "individual_business_professional",
                    "interest_income",
                    "income_obtaining_price",
                    "no_tax_obligation",
                    "tax_incorporation",
                    "income_through_technology_platform",
                    "simplified_trust",
                ],
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "track_1099",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "twitter",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "vat_reg_no",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "website",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
    };

    /// `items.yml`: `create_item`, `update_item`, `update_item_using_custom_field`.
    pub(crate) static ITEM: Request = Request {
        create: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                max_len: 2000,
                ..Field::NONE
            },
            Field {
                name: "hsn_or_sac",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "inventory_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "item_tax_preferences",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_specification",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "item_type",
                ty: Ty::Str,
                one_of: &["sales", "purchases", "sales_and_purchases", "inventory"],
                ..Field::NONE
            },
            Field {
                name: "locations",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "initial_stock",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "initial_stock_rate",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "product_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_rate",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "rate",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "reorder_level",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sales_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sat_item_key_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sku",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_percentage",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "unitkey_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                max_len: 2000,
                ..Field::NONE
            },
            Field {
                name: "hsn_or_sac",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "inventory_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "item_tax_preferences",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_specification",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "item_type",
                ty: Ty::Str,
                one_of: &["sales", "purchases", "sales_and_purchases", "inventory"],
                ..Field::NONE
            },
            Field {
                name: "locations",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "initial_stock",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "initial_stock_rate",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "product_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_rate",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "rate",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "reorder_level",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sales_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sat_item_key_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sku",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_percentage",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "unitkey_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                max_len: 2000,
                ..Field::NONE
            },
            Field {
                name: "hsn_or_sac",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "inventory_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_taxable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "item_tax_preferences",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_specification",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "item_type",
                ty: Ty::Str,
                one_of: &["sales", "purchases", "sales_and_purchases", "inventory"],
                ..Field::NONE
            },
            Field {
                name: "locations",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "initial_stock",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "initial_stock_rate",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "name",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "product_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_rate",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "rate",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "reorder_level",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sales_tax_rule_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sat_item_key_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "sku",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_percentage",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "unitkey_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
    };

    /// `invoices.yml`: `create_invoice`, `update_invoice`, `update_invoice_using_custom_field`.
    pub(crate) static INVOICE: Request = Request {
        create: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "allow_partial_payments",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "batch_payments",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "amount",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "payment_mode",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "billing_address_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "cfdi_usage",
                ty: Ty::Str,
                one_of: &[
                    "acquisition_of_merchandise",
                    "return_discount_bonus",
                    "general_expense",
                    "buildings",
                    "furniture_office_equipment",
                    "transport_equipment",
                    "computer_equipmentdye_molds_tools",
                    "telephone_communication",
                    "satellite_communication",
                    "other_machinery_equipment",
                    "hospital_expense",
                    "medical_expense_disability",
                    "funeral_expense",
                    "donation",
                    "interest_mortage_loans",
                    "contribution_sar",
                    "medical_expense_insurance_pormium",
                    "school_transportation_expense",
                    "deposit_saving_account",
                    "payment_educational_service",
                    "no_tax_effect",
                    "payment",
                    "payroll",
                ],
                ..Field::NONE
            },
            Field {
                name: "contact_persons",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "contact_persons_associated",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_email_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "contact_person_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_body",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "custom_subject",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "discount",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "discount_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "expense_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "invoice_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "invoiced_estimate_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_discount_before_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_reverse_charge_applied",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "bcy_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        max_len: 2000,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_receipt_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "header_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "salesorder_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "sat_item_key_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_percentage",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "time_entry_ids",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "unitkey_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_options",
                ty: Ty::Obj(&[Field {
                    name: "payment_gateways",
                    ty: Ty::Arr(&Ty::Obj(&[
                        Field {
                            name: "additional_field1",
                            ty: Ty::Str,
                            one_of: &["standard", "adaptive"],
                            ..Field::NONE
                        },
                        Field {
                            name: "configured",
                            ty: Ty::Bool,
                            ..Field::NONE
                        },
                        Field {
                            name: "gateway_name",
                            ty: Ty::Str,
                            one_of: &[
                                "paypal",
                                "authorize_net",
                                "payflow_pro",
                                "stripe",
                                "2checkout",
                                "braintree",
                            ],
                            ..Field::NONE
                        },
                    ])),
                    ..Field::NONE
                }]),
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reason",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "recurring_invoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesorder_item_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesperson_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "send",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "shipping_address_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "shipping_charge",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "template_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "time_entry_ids",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "allow_partial_payments",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "cfdi_reference_type",
                ty: Ty::Str,
                one_of: &[
                    "return_of_merchandise",
                    "substitution_previous_cfdi",
                    "transfer_of_goods",
                    "invoice_generated_from_order",
                    "cfdi_for_advance",
                ],
                ..Field::NONE
            },
            Field {
                name: "cfdi_usage",
                ty: Ty::Str,
                one_of: &[
                    "acquisition_of_merchandise",
                    "return_discount_bonus",
                    "general_expense",
                    "buildings",
                    "furniture_office_equipment",
                    "transport_equipment",
                    "computer_equipmentdye_molds_tools",
                    "telephone_communication",
                    "satellite_communication",
                    "other_machinery_equipment",
                    "hospital_expense",
                    "medical_expense_disability",
                    "funeral_expense",
                    "donation",
                    "interest_mortage_loans",
                    "contribution_sar",
                    "medical_expense_insurance_pormium",
                    "school_transportation_expense",
                    "deposit_saving_account",
                    "payment_educational_service",
                    "no_tax_effect",
                    "payment",
                    "payroll",
                ],
                ..Field::NONE
            },
            Field {
                name: "contact_persons_associated",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_email_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "contact_person_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_body",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "custom_subject",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "discount",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "discount_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "expense_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "invoice_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "invoiced_estimate_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_discount_before_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_reverse_charge_applied",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_item_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "bcy_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        max_len: 2000,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_receipt_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "header_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "header_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "sat_item_key_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_percentage",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "time_entry_ids",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "unitkey_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_options",
                ty: Ty::Obj(&[Field {
                    name: "payment_gateways",
                    ty: Ty::Arr(&Ty::Obj(&[
                        Field {
                            name: "additional_field1",
                            ty: Ty::Str,
                            one_of: &["standard", "adaptive"],
                            ..Field::NONE
                        },
                        Field {
                            name: "configured",
                            ty: Ty::Bool,
                            ..Field::NONE
                        },
                        Field {
                            name: "gateway_name",
                            ty: Ty::Str,
                            one_of: &[
                                "paypal",
                                "authorize_net",
                                "payflow_pro",
                                "stripe",
                                "2checkout",
                                "braintree",
                            ],
                            ..Field::NONE
                        },
                    ])),
                    ..Field::NONE
                }]),
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reason",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "recurring_invoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_invoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesorder_item_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesperson_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "shipping_charge",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "template_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "allow_partial_payments",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "avatax_exempt_no",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_tax_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "avatax_use_code",
                ty: Ty::Str,
                max_len: 25,
                ..Field::NONE
            },
            Field {
                name: "cfdi_reference_type",
                ty: Ty::Str,
                one_of: &[
                    "return_of_merchandise",
                    "substitution_previous_cfdi",
                    "transfer_of_goods",
                    "invoice_generated_from_order",
                    "cfdi_for_advance",
                ],
                ..Field::NONE
            },
            Field {
                name: "cfdi_usage",
                ty: Ty::Str,
                one_of: &[
                    "acquisition_of_merchandise",
                    "return_discount_bonus",
                    "general_expense",
                    "buildings",
                    "furniture_office_equipment",
                    "transport_equipment",
                    "computer_equipmentdye_molds_tools",
                    "telephone_communication",
                    "satellite_communication",
                    "other_machinery_equipment",
                    "hospital_expense",
                    "medical_expense_disability",
                    "funeral_expense",
                    "donation",
                    "interest_mortage_loans",
                    "contribution_sar",
                    "medical_expense_insurance_pormium",
                    "school_transportation_expense",
                    "deposit_saving_account",
                    "payment_educational_service",
                    "no_tax_effect",
                    "payment",
                    "payroll",
                ],
                ..Field::NONE
            },
            Field {
                name: "contact_persons_associated",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "communication_preference",
                        ty: Ty::Obj(&[
                            Field {
                                name: "is_email_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_sms_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                            Field {
                                name: "is_whatsapp_enabled",
                                ty: Ty::Bool,
                                ..Field::NONE
                            },
                        ]),
                        ..Field::NONE
                    },
                    Field {
                        name: "contact_person_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_body",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "custom_subject",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "discount",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "discount_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "expense_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "invoice_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "invoiced_estimate_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_discount_before_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_reverse_charge_applied",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_item_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "bcy_rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        max_len: 2000,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "discount_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "expense_receipt_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "header_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "header_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "sat_item_key_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_percentage",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_type",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "time_entry_ids",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        max_len: 100,
                        ..Field::NONE
                    },
                    Field {
                        name: "unitkey_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_options",
                ty: Ty::Obj(&[Field {
                    name: "payment_gateways",
                    ty: Ty::Arr(&Ty::Obj(&[
                        Field {
                            name: "additional_field1",
                            ty: Ty::Str,
                            one_of: &["standard", "adaptive"],
                            ..Field::NONE
                        },
                        Field {
                            name: "configured",
                            ty: Ty::Bool,
                            ..Field::NONE
                        },
                        Field {
                            name: "gateway_name",
                            ty: Ty::Str,
                            one_of: &[
                                "paypal",
                                "authorize_net",
                                "payflow_pro",
                                "stripe",
                                "2checkout",
                                "braintree",
                            ],
                            ..Field::NONE
                        },
                    ])),
                    ..Field::NONE
                }]),
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reason",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "recurring_invoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_invoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesorder_item_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "salesperson_name",
                ty: Ty::Str,
                max_len: 200,
                ..Field::NONE
            },
            Field {
                name: "shipping_charge",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "template_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
    };

    /// `customer-payments.yml`: `create_customer_payment`, `update_customer_payment`, `update_customer_payment_using_custom_field`.
    pub(crate) static CUSTOMER_PAYMENT: Request = Request {
        create: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bank_charges",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "contact_persons",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "label",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                required: true,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "invoices",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        required: true,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_id",
                        ty: Ty::Str,
                        required: true,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_form",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "retainerinvoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_amount_withheld",
                ty: Ty::Num,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bank_charges",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "label",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "invoices",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        required: true,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_id",
                        ty: Ty::Str,
                        required: true,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_form",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "retainerinvoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_amount_withheld",
                ty: Ty::Num,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bank_charges",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "label",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "customer_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "invoices",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        required: true,
                        ..Field::NONE
                    },
                    Field {
                        name: "invoice_id",
                        ty: Ty::Str,
                        required: true,
                        ..Field::NONE
                    },
                ])),
                required: true,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_form",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                required: true,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                max_len: 100,
                ..Field::NONE
            },
            Field {
                name: "retainerinvoice_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_amount_withheld",
                ty: Ty::Num,
                ..Field::NONE
            },
        ],
    };

    /// `bills.yml`: `create_bill`, `update_bill`, `update_bill_using_custom_field`.
    pub(crate) static BILL: Request = Request {
        create: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "approvers",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "approver_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "bill_number",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "destination_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "documents",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "document_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "file_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_item_level_tax_calc",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_update_customer",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "acquisition_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "customer_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_billable",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_custom_fields",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "custom_field_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "index",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "label",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "value",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "line_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        one_of: &["digital_service", "goods", "service"],
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "serial_numbers",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "permit_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchaseorder_ids",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "recurring_bill_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "source_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "taxes",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "approvers",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "approver_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "bill_number",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "destination_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "documents",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "document_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "file_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_item_level_tax_calc",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_update_customer",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "acquisition_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "customer_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_billable",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_custom_fields",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "custom_field_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "index",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "label",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "value",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "line_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        one_of: &["digital_service", "goods", "service"],
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "serial_numbers",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "permit_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchaseorder_ids",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "recurring_bill_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "source_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "taxes",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "adjustment",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "adjustment_description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "approvers",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "approver_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "bill_number",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "destination_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "documents",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "document_id",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "file_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "due_date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "gst_no",
                ty: Ty::Str,
                format: Format::Gstin,
                ..Field::NONE
            },
            Field {
                name: "gst_treatment",
                ty: Ty::Str,
                one_of: &["business_gst", "business_none", "overseas", "consumer"],
                ..Field::NONE
            },
            Field {
                name: "is_inclusive_tax",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_item_level_tax_calc",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_update_customer",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "acquisition_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "customer_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "hsn_or_sac",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "is_billable",
                        ty: Ty::Bool,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_custom_fields",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "custom_field_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "index",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "label",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                            Field {
                                name: "value",
                                ty: Ty::Str,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "item_order",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "line_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "product_type",
                        ty: Ty::Str,
                        one_of: &["digital_service", "goods", "service"],
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "purchaseorder_item_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "quantity",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "rate",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "serial_numbers",
                        ty: Ty::Arr(&Ty::Str),
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_treatment_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tds_tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "unit",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_terms",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "payment_terms_label",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "permit_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "place_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "pricebook_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "purchaseorder_ids",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "recurring_bill_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "source_of_supply",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "taxes",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "tax_amount",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "terms",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                required: true,
                ..Field::NONE
            },
        ],
    };

    /// `vendor-payments.yml`: `create_vendor_payment`, `update_vendor_payment`, `update_vendor_payment_using_custom_field`.
    pub(crate) static VENDOR_PAYMENT: Request = Request {
        create: &[
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bills",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_payment_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_amount_withheld",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "check_details",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "is_paid_via_print_check",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "paid_through_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bills",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_payment_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_amount_withheld",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "check_details",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "is_paid_via_print_check",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "paid_through_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        upsert: &[
            Field {
                name: "amount",
                ty: Ty::Num,
                required: true,
                ..Field::NONE
            },
            Field {
                name: "bills",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "amount_applied",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "bill_payment_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_amount_withheld",
                        ty: Ty::Num,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "check_details",
                ty: Ty::Arr(&Ty::Str),
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "index",
                        ty: Ty::Int,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "date",
                ty: Ty::Str,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "is_paid_via_print_check",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "paid_through_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "payment_mode",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "vendor_id",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
    };

    /// `journals.yml`: `create_journal`, `update_journal`.
    pub(crate) static JOURNAL: Request = Request {
        create: &[
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "include_in_vat_return",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_bas_adjustment",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "journal_date",
                ty: Ty::Str,
                required: true,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "journal_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "acquisition_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "amount",
                        ty: Ty::Num,
                        required: true,
                        ..Field::NONE
                    },
                    Field {
                        name: "customer_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "debit_or_credit",
                        ty: Ty::Str,
                        required: true,
                        one_of: &["debit", "credit"],
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "line_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_authority_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_authority_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_type",
                        ty: Ty::Str,
                        one_of: &["customer", "item"],
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "product_type",
                ty: Ty::Str,
                one_of: &["digital_service", "goods", "service"],
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "status",
                ty: Ty::Str,
                one_of: &["draft", "published"],
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_type",
                ty: Ty::Str,
                one_of: &["customer", "item"],
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "exchange_rate",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "include_in_vat_return",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_bas_adjustment",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "journal_date",
                ty: Ty::Str,
                required: true,
                format: Format::Date,
                ..Field::NONE
            },
            Field {
                name: "journal_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "line_items",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "account_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "acquisition_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "amount",
                        ty: Ty::Num,
                        required: true,
                        ..Field::NONE
                    },
                    Field {
                        name: "customer_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "debit_or_credit",
                        ty: Ty::Str,
                        required: true,
                        one_of: &["debit", "credit"],
                        ..Field::NONE
                    },
                    Field {
                        name: "description",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "line_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "location_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "project_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "reverse_charge_vat_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tags",
                        ty: Ty::Arr(&Ty::Obj(&[
                            Field {
                                name: "tag_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                            Field {
                                name: "tag_option_id",
                                ty: Ty::Int,
                                ..Field::NONE
                            },
                        ])),
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_authority_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_authority_name",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_code",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_exemption_type",
                        ty: Ty::Str,
                        one_of: &["customer", "item"],
                        ..Field::NONE
                    },
                    Field {
                        name: "tax_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "location_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "notes",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "product_type",
                ty: Ty::Str,
                one_of: &["digital_service", "goods", "service"],
                ..Field::NONE
            },
            Field {
                name: "reference_number",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_exemption_type",
                ty: Ty::Str,
                one_of: &["customer", "item"],
                ..Field::NONE
            },
            Field {
                name: "vat_treatment",
                ty: Ty::Str,
                ..Field::NONE
            },
        ],
        upsert: &[],
    };

    /// `chart-of-accounts.yml`: `create_chart_of_account`, `update_chart_of_account`.
    pub(crate) static CHART_OF_ACCOUNT: Request = Request {
        create: &[
            Field {
                name: "account_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "account_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "account_type",
                ty: Ty::Str,
                one_of: &[
                    "other_asset",
                    "other_current_asset",
                    "intangible_asset",
                    "right_to_use_asset",
                    "financial_asset",
                    "contingent_asset",
                    "contract_asset",
                    "cash",
                    "bank",
                    "fixed_asset",
                    "other_current_liability",
                    "contract_liability",
                    "refund_liability",
                    "credit_card",
                    "long_term_liability",
                    "loans_and_borrowing",
                    "lease_liability",
                    "employee_benefit_liability",
                    "contingent_liability",
                    "financial_liability",
                    "other_liability",
                    "equity",
                    "income",
                    "finance_income",
                    "other_comprehensive_income",
                    "other_income",
                    "expense",
                    "manufacturing_expense",
                    "impairment_expense",
                    "depreciation_expense",
                    "employee_benefit_expense",
                    "lease_expense",
                    "finance_expense",
                    "tax_expense",
                    "cost_of_goods_sold",
                    "other_expense",
                    "accounts_receivable",
                    "accounts_payable",
                ],
                ..Field::NONE
            },
            Field {
                name: "can_show_in_ze",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "include_in_vat_return",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "parent_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "show_on_dashboard",
                ty: Ty::Bool,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "account_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "account_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "account_type",
                ty: Ty::Str,
                one_of: &[
                    "other_asset",
                    "other_current_asset",
                    "intangible_asset",
                    "right_to_use_asset",
                    "financial_asset",
                    "contingent_asset",
                    "contract_asset",
                    "cash",
                    "bank",
                    "fixed_asset",
                    "other_current_liability",
                    "contract_liability",
                    "refund_liability",
                    "credit_card",
                    "long_term_liability",
                    "loans_and_borrowing",
                    "lease_liability",
                    "employee_benefit_liability",
                    "contingent_liability",
                    "financial_liability",
                    "other_liability",
                    "equity",
                    "income",
                    "finance_income",
                    "other_comprehensive_income",
                    "other_income",
                    "expense",
                    "manufacturing_expense",
                    "impairment_expense",
                    "depreciation_expense",
                    "employee_benefit_expense",
                    "lease_expense",
                    "finance_expense",
                    "tax_expense",
                    "cost_of_goods_sold",
                    "other_expense",
                    "accounts_receivable",
                    "accounts_payable",
                ],
                ..Field::NONE
            },
            Field {
                name: "can_show_in_ze",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "currency_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "custom_fields",
                ty: Ty::Arr(&Ty::Obj(&[
                    Field {
                        name: "customfield_id",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                    Field {
                        name: "value",
                        ty: Ty::Str,
                        ..Field::NONE
                    },
                ])),
                ..Field::NONE
            },
            Field {
                name: "description",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "include_in_vat_return",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "parent_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "show_on_dashboard",
                ty: Ty::Bool,
                ..Field::NONE
            },
        ],
        upsert: &[],
    };

    /// `taxes.yml`: `create_tax`, `update_tax`.
    pub(crate) static TAX: Request = Request {
        create: &[
            Field {
                name: "country_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_editable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_value_added",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_expense_account_id",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_factor",
                ty: Ty::Str,
                one_of: &["rate", "share"],
                ..Field::NONE
            },
            Field {
                name: "tax_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_percentage",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "tax_specific_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "update_draft_invoice",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_draft_so",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_project",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_bills",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_expense",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_invoice",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_subscription",
                ty: Ty::Bool,
                ..Field::NONE
            },
        ],
        update: &[
            Field {
                name: "country_code",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "is_editable",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "is_value_added",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "purchase_tax_expense_account_id",
                ty: Ty::Int,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_authority_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_factor",
                ty: Ty::Str,
                one_of: &["rate", "share"],
                ..Field::NONE
            },
            Field {
                name: "tax_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_name",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_percentage",
                ty: Ty::Num,
                ..Field::NONE
            },
            Field {
                name: "tax_specific_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tax_type",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "tds_payable_account_id",
                ty: Ty::Str,
                ..Field::NONE
            },
            Field {
                name: "update_draft_invoice",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_draft_so",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_project",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_bills",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_expense",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_recurring_invoice",
                ty: Ty::Bool,
                ..Field::NONE
            },
            Field {
                name: "update_subscription",
                ty: Ty::Bool,
                ..Field::NONE
            },
        ],
        upsert: &[],
    };
}
