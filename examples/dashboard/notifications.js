// Notifications panel: a feed coloured by level, a filter by level and an unread count.
(function (rtd) {
  "use strict";

  const { format } = rtd;
  const { element } = rtd.dom;
  const MAX_ITEMS = 200;
  const LEVELS = ["info", "success", "warning", "error"];

  class NotificationsPanel {
    constructor(root) {
      this.feed = root.querySelector("[data-role=feed]");
      this.empty = root.querySelector("[data-role=feed-empty]");
      this.unreadBadge = root.querySelector("[data-role=unread]");
      this.filters = new Map(LEVELS.map((level) => [level, root.querySelector(`[data-level-filter=${level}]`)]));
      this.unread = 0;
      this.baseTitle = document.title;
      for (const checkbox of this.filters.values()) {
        checkbox.addEventListener("change", () => this.applyFilter());
      }
      root.querySelector("[data-role=mark-read]").addEventListener("click", () => this.markAllRead());
    }

    add(notification) {
      const level = LEVELS.includes(notification.level) ? notification.level : "info";
      const item = element("li", { class: `notification level-${level} unread`, "data-level": level });
      const head = element("div", { class: "notification-head" });
      head.append(
        element("span", { class: "level-badge" }, level),
        element("span", { class: "notification-type" }, notification.notification_type || ""),
        element("time", { datetime: notification.timestamp || "" }, format.clock(notification.timestamp)));
      item.append(head, element("p", { class: "notification-message" }, notification.message || ""));
      if (notification.notification_type === "alert" && "metric" in notification) {
        // A fired alert stands out from the other notifications.
        item.classList.add("alert-fired");
        item.dataset.alertId = notification.alert_id || "";
        item.append(element("p", { class: "notification-detail" },
          `${notification.metric} ${notification.condition} ${notification.threshold}: now ${notification.value}`));
      }
      item.hidden = !this.filters.get(level).checked;
      this.feed.prepend(item);
      while (this.feed.children.length > MAX_ITEMS) this.feed.lastElementChild.remove();
      this.empty.hidden = true;
      this.setUnread(this.unread + 1);
    }

    applyFilter() {
      for (const item of this.feed.children) {
        item.hidden = !this.filters.get(item.dataset.level).checked;
      }
    }

    markAllRead() {
      for (const item of this.feed.querySelectorAll(".unread")) item.classList.remove("unread");
      this.setUnread(0);
    }

    setUnread(count) {
      this.unread = count;
      this.unreadBadge.textContent = String(count);
      this.unreadBadge.hidden = count === 0;
      document.title = count ? `(${count}) ${this.baseTitle}` : this.baseTitle;
    }
  }

  rtd.NotificationsPanel = NotificationsPanel;
})(globalThis.rtd ??= {});
