// Calculations panel: one form per calculation type (tabs), a card per job with progress,
// cancel and result, and the live NPV that follows the market discount rate.
(function (rtd) {
  "use strict";

  const { CALCULATIONS, FIELDS, fieldName, validate } = rtd.validation;
  const { element } = rtd.dom;
  const { format } = rtd;

  const MAX_MESSAGE_BYTES = 65536; // the server closes the connection (1009) above this
  const MAX_JOB_CARDS = 20;
  const FINAL_STATUSES = new Set(["completed", "failed", "cancelled", "rejected", "interrupted"]);

  let jobCounter = 0;
  function newCalculationId(type) {
    jobCounter += 1;
    return `${type}-${Date.now().toString(36)}-${jobCounter}`;
  }

  function messageBytes(message) {
    return new TextEncoder().encode(JSON.stringify(message)).length;
  }

  /** One calculation type's form: fields from rtd.validation, errors shown beside them. */
  class CalculationForm {
    constructor(type, panel) {
      this.type = type;
      this.form = element("form", {
        class: "calc-form", id: `calc-form-${type}`, role: "tabpanel",
        "aria-labelledby": `calc-tab-${type}`, novalidate: "",
      });
      this.inputs = new Map();
      this.fieldErrors = new Map();
      for (const key of CALCULATIONS[type].fields) this.addField(key);
      this.formError = element("p", { class: "form-error", role: "alert", "data-role": "form-error" });
      const submit = element("button", { type: "submit", class: "primary" }, `Calculate ${CALCULATIONS[type].label}`);
      this.form.append(submit, this.formError);
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        panel.submit(this);
      });
    }

    addField(key) {
      const field = FIELDS[key];
      const name = fieldName(key);
      const id = `calc-${this.type}-${name}`;
      const wrapper = element("div", { class: "field" });
      wrapper.append(element("label", { for: id }, field.label + (field.optional ? " (optional)" : "")));
      const describedBy = [];
      const input = element(name === "cash_flows" ? "textarea" : "input", {
        id, name, autocomplete: "off", spellcheck: "false",
      });
      if (name === "cash_flows") input.setAttribute("rows", "2");
      // Phone keypads for "decimal" lack the minus sign, so only whole-number fields get one.
      if (name === "iterations" || name === "seed") input.setAttribute("inputmode", "numeric");
      input.value = field.initial;
      wrapper.append(input);
      if (field.hint) {
        wrapper.append(element("small", { id: `${id}-hint`, class: "hint" }, field.hint));
        describedBy.push(`${id}-hint`);
      }
      const error = element("small", { id: `${id}-error`, class: "field-error", "aria-live": "polite" });
      describedBy.push(`${id}-error`);
      wrapper.append(error);
      input.setAttribute("aria-describedby", describedBy.join(" "));
      this.inputs.set(name, input);
      this.fieldErrors.set(name, error);
      this.form.append(wrapper);
    }

    texts() {
      return Object.fromEntries([...this.inputs].map(([name, input]) => [name, input.value]));
    }

    /** Shows field errors (a {field: message} map) and an optional form-level message. */
    showErrors(errors, formMessage = "") {
      for (const [name, error] of this.fieldErrors) {
        const message = errors[name] || "";
        error.textContent = message;
        this.inputs.get(name).setAttribute("aria-invalid", message ? "true" : "false");
      }
      this.formError.textContent = formMessage;
    }
  }

  /** The card of one submitted calculation. */
  class JobCard {
    constructor(template, { id, type, form }) {
      this.id = id;
      this.type = type;
      this.form = form;
      this.statuses = [];
      this.root = template.content.firstElementChild.cloneNode(true);
      this.root.dataset.calculationId = id;
      this.root.dataset.type = type;
      this.root.querySelector("[data-role=title]").textContent = CALCULATIONS[type].label;
      this.root.querySelector("[data-role=id]").textContent = id;
      this.progress = this.root.querySelector("[data-role=progress]");
      this.progress.setAttribute("aria-label", `Progress of ${id}`);
      this.statusText = this.root.querySelector("[data-role=status]");
      this.message = this.root.querySelector("[data-role=message]");
      this.result = this.root.querySelector("[data-role=result]");
      this.cancelButton = this.root.querySelector("[data-role=cancel]");
      this.cancelButton.setAttribute("aria-label", `Cancel ${id}`);
      this.setStatus("sent");
    }

    get final() {
      return FINAL_STATUSES.has(this.status);
    }

    setStatus(status, message) {
      this.status = status;
      this.statuses.push(status);
      this.root.dataset.status = status;
      this.root.dataset.statuses = this.statuses.join(",");
      this.statusText.textContent = status;
      if (message !== undefined) this.message.textContent = message;
      this.cancelButton.hidden = this.final;
    }

    apply(update) {
      if (typeof update.progress === "number") this.progress.value = update.progress;
      if (update.status === "completed") {
        this.progress.value = 100;
        this.setStatus("completed", "");
        rtd.results.showResult(this.result, update);
      } else if (update.status === "failed") {
        const error = update.error || {};
        this.setStatus("failed", `Failed: ${error.message || "unknown error"} (${error.code || "?"})`);
      } else {
        this.setStatus(update.status, update.message || "");
      }
    }
  }

  /** The live NPV: a calculation with "live": true and the market discount rate. */
  class LiveNpv {
    constructor(root, panel) {
      this.panel = panel;
      this.toggle = root.querySelector("#live-npv-toggle");
      this.value = root.querySelector("[data-role=live-npv-value]");
      this.details = root.querySelector("[data-role=live-npv-details]");
      this.error = root.querySelector("[data-role=live-npv-error]");
      this.id = null;
      this.updates = 0;
      this.toggle.addEventListener("change", () => (this.toggle.checked ? this.start() : this.stop()));
    }

    start() {
      this.error.textContent = "";
      const npvForm = this.panel.forms.get("npv");
      const { parameters, errors } = validate("npv", { ...npvForm.texts(), discount_rate: "market" });
      if (Object.keys(errors).length) {
        this.fail(`Fix the NPV form first: ${Object.values(errors).join("; ")}`);
        return;
      }
      const id = newCalculationId("live-npv");
      const sent = this.panel.connection.send({
        type: "calculate", id, calculation_id: id, calculation_type: "npv", parameters, live: true,
      });
      // Unsent, it stays wanted (toggle on) and onState starts it once live.
      this.id = sent ? id : null;
      this.updates = 0;
      this.details.textContent = sent
        ? "Waiting for the market rate… (cash flows and investment from the NPV form)"
        : "Starts when the connection is live.";
    }

    stop() {
      if (this.id) this.panel.connection.send({ type: "cancel", calculation_id: this.id, id: this.id });
      this.id = null;
      this.details.textContent = "Off: the last value stays shown.";
    }

    /** A dropped connection ends live jobs; start again once live if still wanted. */
    onState(state) {
      if (state !== "live") this.id = null;
      else if (this.toggle.checked && !this.id) this.start();
    }

    fail(message) {
      this.id = null;
      this.toggle.checked = false;
      this.error.textContent = message;
    }

    owns(calculationId) {
      return calculationId !== undefined && calculationId === this.id;
    }

    apply(update) {
      if (update.status === "completed") {
        this.updates += 1;
        const result = update.result || {};
        this.value.textContent = format.currency(result.npv);
        this.value.dataset.value = String(result.npv);
        this.value.dataset.updates = String(this.updates);
        this.value.dataset.marketSeq = String(update.market_seq ?? "");
        const following = update.market_seq === undefined ? "" : ` of market update #${update.market_seq}`;
        this.details.textContent = `at market rate ${format.percent(result.discount_rate)}${following}, `
          + `updated ${format.clock(update.timestamp)} (${this.updates} update${this.updates === 1 ? "" : "s"})`;
      } else if (update.status === "failed") {
        this.fail(`Live NPV failed: ${(update.error || {}).message || "unknown error"}`);
      } else if (update.status === "cancelled" && this.id) {
        this.fail("The server ended the live NPV.");
      }
    }
  }

  class CalculationsPanel {
    constructor(root, connection) {
      this.connection = connection;
      this.jobs = new Map();
      this.forms = new Map();
      this.jobList = root.querySelector("[data-role=job-list]");
      this.jobTemplate = root.querySelector("#job-template");
      this.noJobs = root.querySelector("[data-role=no-jobs]");
      this.buildTabs(root.querySelector("[data-role=calc-tabs]"), root.querySelector("[data-role=calc-forms]"));
      this.live = new LiveNpv(root, this);
      this.jobList.addEventListener("click", (event) => {
        const button = event.target.closest("[data-role=cancel]");
        if (button) this.cancel(button.closest(".job").dataset.calculationId);
      });
    }

    buildTabs(tabList, formArea) {
      this.tabs = [];
      for (const type of Object.keys(CALCULATIONS)) {
        const form = new CalculationForm(type, this);
        this.forms.set(type, form);
        formArea.append(form.form);
        const tab = element("button", {
          type: "button", role: "tab", id: `calc-tab-${type}`, "aria-controls": form.form.id,
        }, CALCULATIONS[type].label);
        tab.addEventListener("click", () => this.selectTab(type));
        tabList.append(tab);
        this.tabs.push(tab);
      }
      // Arrow keys move between tabs, as in every tab list (WAI-ARIA authoring practices).
      tabList.addEventListener("keydown", (event) => {
        const index = this.tabs.indexOf(document.activeElement);
        const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: this.tabs.length - 1 };
        if (index < 0 || !(event.key in moves)) return;
        event.preventDefault();
        const next = this.tabs[(moves[event.key] + this.tabs.length) % this.tabs.length];
        this.selectTab(next.id.replace("calc-tab-", ""));
        next.focus();
      });
      this.selectTab("npv");
    }

    selectTab(type) {
      for (const tab of this.tabs) {
        const selected = tab.id === `calc-tab-${type}`;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
      }
      for (const [formType, form] of this.forms) form.form.hidden = formType !== type;
    }

    submit(form) {
      const { parameters, errors } = validate(form.type, form.texts());
      if (Object.keys(errors).length) {
        form.showErrors(errors, "Please fix the highlighted fields.");
        return;
      }
      const id = newCalculationId(form.type);
      const request = { type: "calculate", id, calculation_id: id, calculation_type: form.type, parameters };
      if (messageBytes(request) > MAX_MESSAGE_BYTES) {
        form.showErrors({}, `This request is over ${MAX_MESSAGE_BYTES.toLocaleString("en-US")} bytes, the server's message limit.`);
        return;
      }
      if (!this.connection.send(request)) {
        form.showErrors({}, "Not connected: the calculation was not sent.");
        return;
      }
      form.showErrors({});
      this.addJob(new JobCard(this.jobTemplate, { id, type: form.type, form }));
    }

    addJob(job) {
      this.jobs.set(job.id, job);
      this.jobList.prepend(job.root);
      this.noJobs.hidden = true;
      // Forget the oldest finished cards beyond the limit.
      const finished = [...this.jobs.values()].filter((j) => j.final);
      while (this.jobs.size > MAX_JOB_CARDS && finished.length) {
        const oldest = finished.shift();
        oldest.root.remove();
        this.jobs.delete(oldest.id);
      }
    }

    cancel(id) {
      const job = this.jobs.get(id);
      if (!job || job.final) return;
      if (!this.connection.send({ type: "cancel", calculation_id: id, id })) {
        job.message.textContent = "Not connected: cancel not sent.";
      }
    }

    onUpdate(update) {
      if (this.live.owns(update.calculation_id)) return this.live.apply(update);
      const job = this.jobs.get(update.calculation_id);
      if (job && !job.final) job.apply(update);
    }

    /** Shows an error reply next to what caused it; returns false when it is not ours. */
    onError(error) {
      const id = error.calculation_id ?? error.id;
      if (this.live.owns(id)) {
        this.live.fail(`Live NPV refused: ${error.message} (${error.code})`);
        return true;
      }
      const job = this.jobs.get(id);
      if (!job) return false;
      const text = `${error.message} (${error.code})`;
      if (error.request_type === "cancel") {
        job.message.textContent = `Cancel refused: ${text}`;
      } else {
        job.setStatus("rejected", `Refused by the server: ${text}`);
        job.form.showErrors({}, `The server refused ${job.id}: ${text}`);
      }
      return true;
    }

    onState(state) {
      if (state !== "live") {
        for (const job of this.jobs.values()) {
          if (!job.final) job.setStatus("interrupted", "Connection lost before the result arrived.");
        }
      }
      this.live.onState(state);
    }
  }

  rtd.CalculationsPanel = CalculationsPanel;
})(globalThis.rtd ??= {});
