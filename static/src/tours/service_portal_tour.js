import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_browse_and_request_tour", {
    url: "/my/home",
    steps: () => [
        {
            content: "Open the service contracts from the portal's home",
            trigger: ".o_portal_index_card a[href='/my/contracts']",
            run: "click",
        },
        {
            content: "Open the contract",
            trigger: ".o_portal_my_doc_table a[href^='/my/contracts/']",
            run: "click",
        },
        {
            content: "The contract shows the covered equipment and can be downloaded",
            trigger: ".o_service_contract_lines td.d-md-table-cell a:contains(Ascenseur Tilleuls)",
        },
        {
            trigger: "a.o_service_contract_pdf[href*='report_type=pdf']",
        },
        {
            content: "Go to the equipment from the contract line",
            trigger: ".o_service_contract_lines td.d-md-table-cell a:contains(Ascenseur Tilleuls)",
            run: "click",
        },
        {
            content: "The equipment shows its serial number and its last interventions",
            trigger: "dd:contains(PX-001)",
        },
        {
            content: "Ask for a technician on this equipment",
            trigger: "a.o_service_request_from_equipment",
            run: "click",
        },
        {
            content: "The equipment is already chosen",
            trigger: "select[name='equipment_id']:has(option:selected:contains(Ascenseur Tilleuls))",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit La cabine s'arrête entre deux étages.",
        },
        {
            content: "It is urgent",
            trigger: "select[name='priority']",
            run: "select 3",
        },
        {
            content: "Preferred dates",
            trigger: "input[name='preferred_dates']",
            run: "edit Demain matin",
        },
        {
            content: "Send the request",
            trigger: "button.o_service_request_submit",
            run: "click",
        },
        {
            content: "The request is confirmed",
            trigger: ".o_service_request_sent",
        },
        {
            content: "Back to the list of interventions",
            trigger: ".breadcrumb a[href='/my/interventions']",
            run: "click",
        },
        {
            content: "The request is listed at once",
            trigger: "table td:contains(Ascenseur Tilleuls)",
        },
    ],
});

registry.category("web_tour.tours").add("service_portal_sign_tour", {
    steps: () => [
        {
            content: "Open the signature dialog",
            trigger: "button.o_service_sign_button",
            run: "click",
        },
        {
            content: "The name is filled in and the signature is drawn from it",
            trigger: ".modal .o_portal_sign_submit:enabled",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The report is signed",
            trigger: ".alert-success:contains(the report is signed)",
        },
    ],
});

registry.category("web_tour.tours").add("service_portal_pay_tour", {
    steps: () => [
        {
            content: "Pay the invoice",
            trigger: "a[data-bs-target='#pay_with']",
            run: "click",
        },
        {
            content: "Choose the demo provider",
            trigger: "#pay_with input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        {
            content: "The payment is confirmed",
            trigger: ".o_account_payment_tx_status, .alert-success, div:contains(Paid)",
        },
    ],
});
