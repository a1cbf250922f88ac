// A Block Kit renderer for the playground page: messages, App Home and modals.
// DOM is built with createElement / textContent only; mrkdwn goes through mrkdwn.js.
// Input blocks become real labelled form controls, and collectValues() reads them
// back as Slack's view.state.values.
import { emojify, isSafeUrl, renderMrkdwn } from "./mrkdwn.js";

let uid = 0;
/** A page-unique DOM id. */
function nextId(prefix = "bk") {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Options of a rendered select / checkbox group / radio group: control → original option objects. */
const optionsOf = new WeakMap();

/** Slack generates block_id / action_id for blocks without one, the same for the whole life of the view. */
const generated = new Map();
export function generatedId(viewKey, path) {
  const key = `${viewKey}|${path}`;
  let id = generated.get(key);
  if (!id) {
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    id = Array.from({ length: 5 }, () => chars[Math.floor(Math.random() * chars.length)]).join("");
    generated.set(key, id);
  }
  return id;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** The words of a text object (for labels, option text, aria names). */
export function plainText(obj) {
  if (!obj) return "";
  if (typeof obj === "string") return obj;
  const text = typeof obj.text === "string" ? obj.text : "";
  if (obj.type === "mrkdwn") {
    const holder = el("span");
    holder.append(renderMrkdwn(text, {}));
    return holder.textContent ?? "";
  }
  return obj.emoji === false ? text : emojify(text);
}

/** A text object as DOM: mrkdwn parsed, plain_text as text (emoji shortcodes applied). */
export function renderText(obj, ctx) {
  if (!obj) return document.createTextNode("");
  if (typeof obj === "string") return document.createTextNode(obj);
  if (obj.type === "mrkdwn") return renderMrkdwn(typeof obj.text === "string" ? obj.text : "", ctx.mrkdwn ?? {});
  return document.createTextNode(plainText(obj));
}

/** A page string, marked so the page can re-translate it when the language changes. */
function translated(node, key, ctx, params) {
  node.textContent = ctx.t(key, params);
  node.dataset.i18n = key;
  if (params) node.dataset.i18nParams = JSON.stringify(params);
  return node;
}

function unsupported(kind, ctx) {
  return translated(el("div", "bk-unsupported"), "unsupportedBlock", ctx, { type: String(kind) });
}

function safeImage(url, alt, className) {
  const img = el("img", className);
  img.alt = typeof alt === "string" ? alt : "";
  img.loading = "lazy";
  img.referrerPolicy = "no-referrer";
  if (isSafeUrl(url) && /^https?:/i.test(url)) img.src = url;
  img.addEventListener("error", () => {
    const fallback = el("span", `${className} bk-image-missing`, img.alt || "🖼");
    fallback.title = img.alt;
    img.replaceWith(fallback);
  });
  return img;
}

// --- Actions: buttons, selects, overflow menus, pickers outside input blocks.

async function dispatch(ctx, detail, control, confirm) {
  if (confirm && !(await confirmDialog(confirm, ctx))) return false;
  control.disabled = true;
  control.classList.add("is-busy");
  control.setAttribute("aria-busy", "true");
  try {
    await ctx.onAction(detail);
  } finally {
    control.disabled = false;
    control.classList.remove("is-busy");
    control.removeAttribute("aria-busy");
  }
  return true;
}

function optionList(element) {
  const groups = Array.isArray(element.option_groups) ? element.option_groups : null;
  if (groups) return groups.flatMap((g) => (Array.isArray(g.options) ? g.options : []));
  return Array.isArray(element.options) ? element.options : [];
}

function fillSelect(select, element, ctx) {
  const placeholder = plainText(element.placeholder);
  const options = optionList(element);
  optionsOf.set(select, options);
  const initial = element.initial_option?.value;
  const initials = Array.isArray(element.initial_options) ? element.initial_options.map((o) => o.value) : [];
  if (!select.multiple) {
    const empty = placeholder ? el("option", "", placeholder) : translated(el("option"), "selectPlaceholder", ctx);
    empty.value = "";
    if (initial === undefined) empty.selected = true;
    select.append(empty);
  }
  const addOption = (parent, o) => {
    const option = el("option", "", plainText(o.text));
    option.value = String(o.value ?? "");
    if (o.value === initial || initials.includes(o.value)) option.selected = true;
    parent.append(option);
  };
  if (Array.isArray(element.option_groups)) {
    for (const group of element.option_groups) {
      const og = el("optgroup");
      og.label = plainText(group.label);
      for (const o of group.options ?? []) addOption(og, o);
      select.append(og);
    }
  } else {
    for (const o of options) addOption(select, o);
  }
}

function selectedOption(select) {
  const options = optionsOf.get(select) ?? [];
  const found = options.find((o) => String(o.value ?? "") === select.value);
  return found ? { value: String(found.value), text: plainText(found.text) } : null;
}

function overflowMenu(element, blockId, ctx) {
  const wrap = el("div", "bk-overflow");
  const button = el("button", "bk-button bk-overflow-button", "⋯");
  button.type = "button";
  button.setAttribute("aria-label", ctx.t("moreOptions"));
  button.setAttribute("aria-haspopup", "menu");
  button.setAttribute("aria-expanded", "false");
  const menu = el("div", "bk-overflow-menu");
  menu.setAttribute("role", "menu");
  menu.hidden = true;
  const close = () => {
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("click", onOutside, true);
  };
  const onOutside = (event) => {
    if (!wrap.contains(event.target)) close();
  };
  button.addEventListener("click", () => {
    if (!menu.hidden) return close();
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    document.addEventListener("click", onOutside, true);
    menu.querySelector("button")?.focus();
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      close();
      button.focus();
    }
  });
  for (const o of optionList(element)) {
    const item = el("button", "bk-overflow-item", plainText(o.text));
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.addEventListener("click", () => {
      close();
      if (o.url && isSafeUrl(o.url)) window.open(o.url, "_blank", "noopener,noreferrer");
      dispatch(
        ctx,
        {
          actionId: element.action_id,
          blockId,
          type: "overflow",
          selectedOption: { value: String(o.value ?? ""), text: plainText(o.text) },
        },
        button,
        element.confirm,
      );
    });
    menu.append(item);
  }
  wrap.append(button, menu);
  return wrap;
}

/** An interactive element in a section accessory or an actions block. */
function renderElement(element, blockId, ctx, path) {
  if (!element || typeof element !== "object") return unsupported("element", ctx);
  const actionId = element.action_id ?? generatedId(ctx.viewKey, `${path}/action`);
  switch (element.type) {
    case "button": {
      const button = el("button", "bk-button");
      button.type = "button";
      button.append(el("span", "bk-button-label", plainText(element.text)));
      if (element.style === "primary") button.classList.add("bk-primary");
      if (element.style === "danger") button.classList.add("bk-danger");
      if (element.accessibility_label) button.setAttribute("aria-label", element.accessibility_label);
      button.addEventListener("click", () => {
        const url = element.url && isSafeUrl(element.url) ? element.url : null;
        // Opened at once (a popup after an await is blocked), or after the confirm dialog.
        if (url && !element.confirm) window.open(url, "_blank", "noopener,noreferrer");
        dispatch(
          ctx,
          { actionId, blockId, type: "button", ...(element.value !== undefined ? { value: element.value } : {}) },
          button,
          element.confirm,
        ).then((done) => {
          if (done && url && element.confirm) window.open(url, "_blank", "noopener,noreferrer");
        });
      });
      return button;
    }
    case "static_select": {
      const select = el("select", "bk-select");
      select.setAttribute("aria-label", plainText(element.placeholder) || ctx.t("selectPlaceholder"));
      fillSelect(select, element, ctx);
      let previous = select.value;
      select.addEventListener("change", async () => {
        const option = selectedOption(select);
        if (!option) return;
        const done = await dispatch(
          ctx,
          { actionId, blockId, type: "static_select", selectedOption: option, value: option.value },
          select,
          element.confirm,
        );
        if (done) previous = select.value;
        else select.value = previous;
      });
      return select;
    }
    case "overflow":
      return overflowMenu({ ...element, action_id: actionId }, blockId, ctx);
    case "datepicker":
    case "timepicker": {
      const input = el("input", "bk-input bk-picker");
      input.type = element.type === "datepicker" ? "date" : "time";
      input.setAttribute("aria-label", plainText(element.placeholder) || ctx.t(element.type));
      input.value = (element.type === "datepicker" ? element.initial_date : element.initial_time) ?? "";
      input.addEventListener("change", () => {
        if (!input.value) return;
        dispatch(ctx, { actionId, blockId, type: element.type, value: input.value }, input, element.confirm);
      });
      return input;
    }
    case "image":
      return safeImage(element.image_url, element.alt_text, "bk-accessory-image");
    case "checkboxes":
    case "radio_buttons": {
      const group = choiceGroup(element, ctx, plainText(element.placeholder) || element.type);
      group.addEventListener("change", (event) => {
        const target = event.target;
        const option = (optionsOf.get(group) ?? [])[Number(target.dataset.index)];
        if (!option) return;
        dispatch(
          ctx,
          {
            actionId,
            blockId,
            type: element.type,
            selectedOption: { value: String(option.value ?? ""), text: plainText(option.text) },
          },
          target,
          element.confirm,
        );
      });
      return group;
    }
    default:
      return unsupported(element.type ?? "element", ctx);
  }
}

// --- Input blocks (modals).

function choiceGroup(element, ctx, label, labelId) {
  const radio = element.type === "radio_buttons";
  const group = el("div", `bk-choices ${radio ? "bk-radios" : "bk-checkboxes"}`);
  group.setAttribute("role", radio ? "radiogroup" : "group");
  if (labelId) group.setAttribute("aria-labelledby", labelId);
  else group.setAttribute("aria-label", label);
  const options = Array.isArray(element.options) ? element.options : [];
  optionsOf.set(group, options);
  const name = nextId("choice");
  const initial = radio
    ? [element.initial_option?.value]
    : (Array.isArray(element.initial_options) ? element.initial_options : []).map((o) => o.value);
  options.forEach((o, index) => {
    const id = nextId("opt");
    const row = el("div", "bk-choice");
    const input = el("input");
    input.type = radio ? "radio" : "checkbox";
    input.id = id;
    input.name = name;
    input.value = String(o.value ?? "");
    input.dataset.index = String(index);
    input.checked = initial.includes(o.value);
    const text = el("label", "bk-choice-label");
    text.htmlFor = id;
    text.append(renderText(o.text, ctx));
    row.append(input, text);
    if (o.description) row.append(el("div", "bk-choice-description", plainText(o.description)));
    group.append(row);
  });
  return group;
}

const TEXT_TYPES = { plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "text" };

function inputControl(element, id, labelId, label, ctx) {
  const type = element.type;
  if (type in TEXT_TYPES) {
    const multiline = type === "plain_text_input" && element.multiline === true;
    const input = el(multiline ? "textarea" : "input", multiline ? "bk-input bk-textarea" : "bk-input");
    if (!multiline) input.type = TEXT_TYPES[type];
    if (type === "number_input") input.inputMode = element.is_decimal_allowed ? "decimal" : "numeric";
    if (multiline) input.rows = 4;
    input.id = id;
    if (element.max_length) input.maxLength = Number(element.max_length);
    if (element.min_length) input.minLength = Number(element.min_length);
    const placeholder = plainText(element.placeholder);
    if (placeholder) input.placeholder = placeholder;
    input.value = element.initial_value ?? "";
    if (element.focus_on_load) input.autofocus = true;
    return input;
  }
  if (type === "static_select" || type === "multi_static_select") {
    const select = el("select", `bk-select${type === "multi_static_select" ? " bk-multi" : ""}`);
    select.id = id;
    if (type === "multi_static_select") {
      select.multiple = true;
      select.size = Math.min(6, Math.max(3, optionList(element).length));
    }
    fillSelect(select, element, ctx);
    return select;
  }
  if (type === "checkboxes" || type === "radio_buttons") return choiceGroup(element, ctx, label, labelId);
  if (type === "datepicker" || type === "timepicker") {
    const input = el("input", "bk-input bk-picker");
    input.type = type === "datepicker" ? "date" : "time";
    input.id = id;
    input.value = (type === "datepicker" ? element.initial_date : element.initial_time) ?? "";
    return input;
  }
  return null;
}

function renderInput(block, blockId, ctx) {
  const element = block.element ?? {};
  const wrap = el("div", "bk-block bk-input-block");
  const id = nextId("input");
  const labelId = `${id}-label`;
  const label = plainText(block.label);
  const control = inputControl(element, id, labelId, label, ctx);
  const grouped = element.type === "checkboxes" || element.type === "radio_buttons";
  const head = el("div", "bk-label-row");
  const labelEl = el(grouped ? "span" : "label", "bk-label", label);
  labelEl.id = labelId;
  if (!grouped && control) labelEl.htmlFor = id;
  head.append(labelEl);
  if (block.optional) head.append(translated(el("span", "bk-optional"), "optional", ctx));
  wrap.append(head);
  if (!control) {
    wrap.append(unsupported(element.type ?? "element", ctx));
    wrap.dataset.blockId = blockId;
    wrap.dataset.elementType = element.type ?? "unknown";
    wrap.dataset.actionId = element.action_id ?? generatedId(ctx.viewKey, `${blockId}/action`);
    return wrap;
  }
  wrap.append(control);
  wrap.dataset.blockId = blockId;
  wrap.dataset.actionId = element.action_id ?? generatedId(ctx.viewKey, `${blockId}/action`);
  wrap.dataset.elementType = element.type;
  if (!block.optional) control.setAttribute("aria-required", "true");
  if (block.hint) {
    const hint = el("div", "bk-hint", plainText(block.hint));
    hint.id = `${id}-hint`;
    wrap.append(hint);
    control.setAttribute("aria-describedby", hint.id);
  }
  if (block.dispatch_action) {
    const fire = () => {
      const values = collectValues(wrap.closest("form") ?? wrap);
      const value = values[blockId]?.[wrap.dataset.actionId];
      ctx.onAction({
        actionId: wrap.dataset.actionId,
        blockId,
        type: element.type,
        ...(value?.selected_option ? { selectedOption: optionOut(value.selected_option) } : {}),
        ...(typeof value?.value === "string" ? { value: value.value } : {}),
      });
    };
    control.addEventListener("change", fire);
  }
  return wrap;
}

function optionOut(option) {
  return { value: String(option.value ?? ""), text: plainText(option.text) };
}

function cloneOption(o) {
  return JSON.parse(
    JSON.stringify({ text: o.text, value: o.value, ...(o.description ? { description: o.description } : {}) }),
  );
}

/** Slack's view.state.values from the input blocks rendered under `root`. */
export function collectValues(root) {
  const values = {};
  for (const wrap of root.querySelectorAll(".bk-input-block[data-block-id]")) {
    const { blockId, actionId, elementType: type } = wrap.dataset;
    let value = { type };
    const control = wrap.querySelector("input, textarea, select, .bk-choices");
    if (type === "plain_text_input" || type === "email_text_input" || type === "url_text_input") {
      value = { type, value: control.value === "" ? null : control.value };
    } else if (type === "number_input") {
      const v = control.value.trim();
      value = { type, value: v === "" ? null : v };
    } else if (type === "static_select") {
      const options = optionsOf.get(control) ?? [];
      const found = options.find((o) => String(o.value ?? "") === control.value);
      value = { type, selected_option: control.value === "" || !found ? null : cloneOption(found) };
    } else if (type === "multi_static_select") {
      const options = optionsOf.get(control) ?? [];
      const chosen = Array.from(control.selectedOptions, (o) => o.value);
      value = {
        type,
        selected_options: options.filter((o) => chosen.includes(String(o.value ?? ""))).map(cloneOption),
      };
    } else if (type === "checkboxes" || type === "radio_buttons") {
      const group = wrap.querySelector(".bk-choices");
      const options = optionsOf.get(group) ?? [];
      const checked = Array.from(group.querySelectorAll("input:checked"), (i) => options[Number(i.dataset.index)]);
      value =
        type === "checkboxes"
          ? { type, selected_options: checked.filter(Boolean).map(cloneOption) }
          : { type, selected_option: checked[0] ? cloneOption(checked[0]) : null };
    } else if (type === "datepicker") {
      value = { type, selected_date: control.value || null };
    } else if (type === "timepicker") {
      value = { type, selected_time: control.value ? control.value.slice(0, 5) : null };
    }
    values[blockId] = { ...(values[blockId] ?? {}), [actionId]: value };
  }
  return values;
}

/** Show messages under their inputs (block_id → text); clears the old ones of that kind. */
export function showErrors(root, errors, kind = "server") {
  for (const old of root.querySelectorAll(`.bk-input-error[data-kind="${kind}"]`)) {
    const control = old.closest(".bk-block")?.querySelector("[aria-invalid]");
    old.remove();
    if (!control) continue;
    const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && id !== old.id);
    if (described.length) control.setAttribute("aria-describedby", described.join(" "));
    else control.removeAttribute("aria-describedby");
    if (!control.closest(".bk-block")?.querySelector(".bk-input-error")) control.removeAttribute("aria-invalid");
  }
  let first = null;
  for (const wrap of root.querySelectorAll(".bk-block[data-block-id]")) {
    const message = errors?.[wrap.dataset.blockId];
    if (!message) continue;
    const error = el("div", "bk-input-error", String(message));
    error.id = nextId("error");
    error.dataset.kind = kind;
    error.dataset.testid = "slack-modal-error";
    error.setAttribute("role", "alert");
    wrap.append(error);
    const control = wrap.querySelector("input, textarea, select, .bk-choices");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", described ? `${described} ${error.id}` : error.id);
      first ??= control.matches(".bk-choices") ? control.querySelector("input") : control;
    }
  }
  return first;
}

// --- Blocks.

function renderRichText(block, ctx) {
  const wrap = el("div", "bk-block bk-rich-text");
  const inline = (elements, parent) => {
    for (const item of Array.isArray(elements) ? elements : []) {
      let node;
      switch (item.type) {
        case "text":
          node = el(item.style?.code ? "code" : "span", item.style?.code ? "mrkdwn-code" : "", item.text ?? "");
          break;
        case "link": {
          const text = item.text || item.url || "";
          if (isSafeUrl(item.url)) {
            node = el("a", "mrkdwn-link", text);
            node.href = item.url;
            node.target = "_blank";
            node.rel = "noopener noreferrer";
          } else node = el("span", "", text);
          break;
        }
        case "emoji":
          node = el(
            "span",
            "emoji",
            item.unicode
              ? String.fromCodePoint(
                  ...String(item.unicode)
                    .split("-")
                    .map((h) => Number.parseInt(h, 16) || 0x2753),
                )
              : emojify(`:${item.name}:`),
          );
          break;
        case "user":
          node = el("span", "mrkdwn-mention", `@${ctx.mrkdwn?.userName?.(item.user_id) ?? item.user_id}`);
          break;
        case "channel":
          node = el("span", "mrkdwn-mention", `#${item.channel_id}`);
          break;
        case "broadcast":
          node = el("span", "mrkdwn-mention", `@${item.range}`);
          break;
        case "usergroup":
          node = el("span", "mrkdwn-mention", `@${item.usergroup_id}`);
          break;
        case "date":
          node = el("span", "mrkdwn-date", item.fallback ?? String(item.timestamp ?? ""));
          break;
        default:
          node = el("span", "", item.text ?? "");
      }
      if (item.style?.bold) node.classList.add("rt-bold");
      if (item.style?.italic) node.classList.add("rt-italic");
      if (item.style?.strike) node.classList.add("rt-strike");
      parent.append(node);
    }
  };
  const blockLevel = (elements, parent) => {
    for (const item of Array.isArray(elements) ? elements : []) {
      if (item.type === "rich_text_section") {
        const p = el("div", "rt-section");
        inline(item.elements, p);
        parent.append(p);
      } else if (item.type === "rich_text_list") {
        const list = el(item.style === "ordered" ? "ol" : "ul", "rt-list");
        for (const section of item.elements ?? []) {
          const li = el("li");
          inline(section.elements, li);
          list.append(li);
        }
        parent.append(list);
      } else if (item.type === "rich_text_preformatted") {
        const pre = el("pre", "mrkdwn-pre");
        inline(item.elements, pre);
        parent.append(pre);
      } else if (item.type === "rich_text_quote") {
        const quote = el("blockquote", "mrkdwn-quote");
        inline(item.elements, quote);
        parent.append(quote);
      } else {
        parent.append(unsupported(item.type ?? "rich_text", ctx));
      }
    }
  };
  blockLevel(block.elements, wrap);
  return wrap;
}

function renderBlock(block, index, ctx) {
  if (!block || typeof block !== "object") return unsupported("?", ctx);
  const blockId = block.block_id ?? generatedId(ctx.viewKey, `b${index}`);
  let node;
  switch (block.type) {
    case "section": {
      node = el("div", "bk-block bk-section");
      const body = el("div", "bk-section-body");
      if (block.text) {
        const text = el("div", "bk-text");
        text.append(renderText(block.text, ctx));
        body.append(text);
      }
      if (Array.isArray(block.fields) && block.fields.length) {
        const fields = el("div", "bk-fields");
        for (const field of block.fields) {
          const cell = el("div", "bk-field");
          cell.append(renderText(field, ctx));
          fields.append(cell);
        }
        body.append(fields);
      }
      node.append(body);
      if (block.accessory) {
        const accessory = el("div", "bk-accessory");
        accessory.append(renderElement(block.accessory, blockId, ctx, `b${index}/accessory`));
        node.append(accessory);
      }
      break;
    }
    case "context": {
      node = el("div", "bk-block bk-context");
      for (const item of Array.isArray(block.elements) ? block.elements : []) {
        if (item?.type === "image") node.append(safeImage(item.image_url, item.alt_text, "bk-context-image"));
        else {
          const span = el("span", "bk-context-text");
          span.append(renderText(item, ctx));
          node.append(span);
        }
      }
      break;
    }
    case "divider":
      node = el("hr", "bk-block bk-divider");
      break;
    case "header":
      node = el("h3", "bk-block bk-header", plainText(block.text));
      break;
    case "actions": {
      node = el("div", "bk-block bk-actions");
      (Array.isArray(block.elements) ? block.elements : []).forEach((element, n) => {
        node.append(renderElement(element, blockId, ctx, `b${index}/e${n}`));
      });
      break;
    }
    case "image": {
      node = el("figure", "bk-block bk-image");
      if (block.title) node.append(el("figcaption", "bk-image-title", plainText(block.title)));
      node.append(safeImage(block.image_url, block.alt_text, "bk-image-img"));
      break;
    }
    case "rich_text":
      node = renderRichText(block, ctx);
      break;
    case "input":
      node = renderInput(block, blockId, ctx);
      break;
    default:
      node = unsupported(block.type ?? "?", ctx);
  }
  node.dataset.blockId = blockId;
  node.dataset.blockType = String(block.type ?? "");
  return node;
}

/**
 * Blocks → an element. ctx: { t(key, params), mrkdwn: {locale, userName}, viewKey,
 * onAction(detail) → Promise, dialogHost? }. Never throws for odd blocks.
 */
export function renderBlocks(blocks, ctx) {
  const root = el("div", "bk-blocks");
  (Array.isArray(blocks) ? blocks : []).forEach((block, index) => {
    try {
      root.append(renderBlock(block, index, ctx));
    } catch (error) {
      console.error("block render failed", block, error);
      root.append(unsupported(block?.type ?? "?", ctx));
    }
  });
  return root;
}

/** A Block Kit `confirm` object as an in-page dialog; resolves true when confirmed. */
export function confirmDialog(confirm, ctx) {
  return new Promise((resolve) => {
    const host = ctx.dialogHost ?? document.body;
    const previous = document.activeElement;
    const backdrop = el("div", "bk-confirm-backdrop");
    const dialog = el("div", "bk-confirm");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.dataset.testid = "slack-confirm";
    dialog.setAttribute("data-testid", "slack-confirm");
    const titleId = nextId("confirm-title");
    const textId = nextId("confirm-text");
    dialog.setAttribute("aria-labelledby", titleId);
    dialog.setAttribute("aria-describedby", textId);
    const title = el("h2", "bk-confirm-title", plainText(confirm.title) || ctx.t("confirmTitle"));
    title.id = titleId;
    const text = el("div", "bk-confirm-text");
    text.id = textId;
    text.append(renderText(confirm.text, ctx));
    const buttons = el("div", "bk-confirm-buttons");
    const deny = el("button", "bk-button", plainText(confirm.deny) || ctx.t("cancel"));
    deny.type = "button";
    deny.setAttribute("data-testid", "slack-confirm-deny");
    const ok = el("button", `bk-button ${confirm.style === "danger" ? "bk-danger" : "bk-primary"}`);
    ok.textContent = plainText(confirm.confirm) || ctx.t("confirmOk");
    ok.type = "button";
    ok.setAttribute("data-testid", "slack-confirm-ok");
    buttons.append(deny, ok);
    dialog.append(title, text, buttons);
    backdrop.append(dialog);
    const done = (answer) => {
      backdrop.remove();
      if (previous && typeof previous.focus === "function" && previous.isConnected) previous.focus();
      resolve(answer);
    };
    deny.addEventListener("click", () => done(false));
    ok.addEventListener("click", () => done(true));
    backdrop.addEventListener("click", (event) => {
      if (event.target === backdrop) done(false);
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        done(false);
      } else if (event.key === "Tab") {
        // Keep focus inside the two buttons.
        event.preventDefault();
        (document.activeElement === ok ? deny : ok).focus();
      }
    });
    host.append(backdrop);
    ok.focus();
  });
}
