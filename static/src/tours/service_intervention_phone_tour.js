import { registry } from "@web/core/registry";

const FORM = ".o_form_view";
const CHECKLIST = ".o_field_widget[name='checklist_line_ids']";

registry.category("web_tour.tours").add("service_intervention_phone_tour", {
    steps: () => [
        {
            content: "My Day lists the technician's interventions of the day in planned order",
            trigger: ".o_service_my_day_kanban .o_kanban_record:first:contains(Boulangerie du Matin)",
        },
        {
            content: "Neither tomorrow's work nor another technician's",
            trigger: ".o_service_my_day_kanban:not(:has(.o_kanban_record:contains(Garage de Demain))):not(:has(.o_kanban_record:contains(Hôtel des Autres)))",
        },
        {
            content: "The card shows the time, the customer once, a call and a navigate button",
            trigger: `.o_service_my_day_kanban .o_kanban_record:contains(Pharmacie des Pentes):has(.o_service_my_day_time:contains(9:00)):has(a.o_service_call[href='tel:+33 4 78 28 00 00']):has(a.o_service_navigate[href*='openstreetmap.org'])`,
        },
        {
            content: "The priority cannot be changed from My Day",
            trigger: ".o_service_my_day_kanban .o_kanban_record:contains(Pharmacie des Pentes) .o_field_priority .o_priority:not(:has(a))",
        },
        {
            content: "Open the second intervention of the day",
            trigger: ".o_service_my_day_kanban .o_kanban_record:contains(Pharmacie des Pentes)",
            run: "click",
        },
        {
            content: "The site address has a map link",
            trigger: `${FORM} .o_field_widget[name='site_map_url'] a[href*='openstreetmap.org']`,
        },
        {
            content: "No tabs: the sections needed on site follow each other",
            trigger: `${FORM}:not(:has(.o_notebook)):has(div[name='checklist']):has(div[name='parts']):has(div[name='signature'])`,
        },
        {
            content: "Nothing wider than the phone's screen",
            trigger: `${FORM}`,
            run() {
                const scroller = document.querySelector(".o_content") || document.documentElement;
                if (scroller.scrollWidth > window.innerWidth + 1) {
                    throw new Error(`the form scrolls sideways: ${scroller.scrollWidth}px > ${window.innerWidth}px`);
                }
            },
        },
        {
            content: "Start the intervention",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_start']`,
            run: "click",
        },
        {
            content: "It is in progress: the Finish button shows",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_done']`,
        },
        {
            content: "Answer the first question",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Door contact replaced)`,
            run: "click",
        },
        {
            content: "Yes",
            trigger: ".modal .o_field_widget[name='answer_yes_no'] input[data-value='yes']",
            run: "click",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The answer shows on the card",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Door contact replaced):contains(Yes)`,
        },
        {
            content: "Enter the reading",
            trigger: `${CHECKLIST} .o_kanban_record:contains(Motor temperature)`,
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='answer_number'] input",
            run: "edit 61.5",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: `${CHECKLIST} .o_kanban_record:contains(Motor temperature):contains(61.5)`,
        },
        {
            content: "Record the part used",
            trigger: `${FORM} .o_field_widget[name='part_ids'] .o-kanban-button-new`,
            run: "click",
        },
        {
            content: "On a phone, choosing the part opens a search screen",
            trigger: ".modal .o_field_widget[name='product_id'] input",
            run: "click",
        },
        {
            trigger: ".modal .o_control_panel button:has(i.fa-search)",
            run: "click",
        },
        {
            content: "Search the part by its code",
            trigger: ".modal .o_searchview_input",
            run: "edit TDC",
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only spare parts are offered: the lift sold under the same code prefix is not",
            trigger: ".modal .o_kanban_view:has(.o_kanban_record:contains(Tour Door Contact)):not(:has(.o_kanban_record:contains(Tour Lift 630 kg)))",
        },
        {
            trigger: ".modal .o_kanban_record:contains(Tour Door Contact)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='quantity'] input",
            run: "edit 2",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The part shows in full",
            trigger: `${FORM} .o_field_widget[name='part_ids'] .o_kanban_record:contains([TDC-42] Tour Door Contact)`,
        },
        {
            trigger: `${FORM} .o_field_widget[name='signed_by'] input`,
            run: "edit Mme Durand",
        },
        {
            content: "Leave the name field",
            trigger: `${FORM} div[name='signature'] h3`,
            run: "click",
        },
        {
            content: "Once the signer is named, the customer signs",
            trigger: `${FORM} .o_field_widget[name='signature'] .o_signature`,
            run: "click",
        },
        {
            content: "The customer draws their signature with a finger",
            trigger: ".modal canvas.o_web_sign_signature",
            async run({ anchor }) {
                const box = anchor.getBoundingClientRect();
                const pointer = (type, x, y) =>
                    new PointerEvent(type, {
                        bubbles: true,
                        cancelable: true,
                        pointerId: 1,
                        pointerType: "touch",
                        isPrimary: true,
                        buttons: type === "pointerup" ? 0 : 1,
                        clientX: box.left + x,
                        clientY: box.top + y,
                    });
                anchor.dispatchEvent(pointer("pointerdown", 20, 40));
                for (let step = 1; step <= 12; step++) {
                    await new Promise((resolve) => setTimeout(resolve, 20));
                    anchor.dispatchEvent(pointer("pointermove", 20 + step * 15, 40 + (step % 2) * 25));
                }
                anchor.dispatchEvent(pointer("pointerup", 200, 50));
            },
        },
        {
            content: "Adopt & Sign",
            trigger: ".modal footer button.btn-primary:enabled",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='signature'] img.o_signature`,
        },
        {
            content: "Finish",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_done']`,
            run: "click",
        },
        {
            content: "Finished at once: the report is on its way, payment can still be collected",
            trigger: `${FORM}:not(:has(button[name='action_done'])):has(.o_service_report_pending) div[name='phone_actions'] button[name='action_collect_payment']`,
        },
        {
            content: "Collect Payment",
            trigger: `${FORM} div[name='phone_actions'] button[name='action_collect_payment']`,
            run: "click",
        },
        {
            content: "The amount due and the intervention's reference are proposed",
            trigger: ".modal .o_field_widget[name='reference'] input",
            run() {
                const due = document.querySelector(".modal .o_field_widget[name='amount_due']").textContent;
                if (!due.includes("84.00")) {
                    throw new Error(`the amount due proposed is "${due}"`);
                }
                const reference = document.querySelector(".modal .o_field_widget[name='reference'] input").value;
                if (!reference.startsWith("INT/")) {
                    throw new Error(`the reference proposed is "${reference}"`);
                }
            },
        },
        {
            trigger: ".modal .modal-footer button.btn-secondary",
            run: "click",
        },
        {
            trigger: `${FORM}:not(:has(.modal))`,
        },
    ],
});
