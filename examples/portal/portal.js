// The portal's own script: mounts one manager with mount(), logs every manager event, and offers
// unmount and mount again. The custom element mounts itself.
import { mount } from "../oauth2-config-manager.js";

const container = document.getElementById("mounted-manager");
const log = document.getElementById("event-log");
let manager = null;

async function mountManager() {
  manager ??= await mount(container, { apiBase: "../../api" });
}

for (const type of ["oauth2-config-saved", "oauth2-config-deleted", "oauth2-config-conflict", "oauth2-config-error"]) {
  document.addEventListener(type, (event) => {
    const entry = document.createElement("li");
    const source = event.target.id || event.target.dataset.portal || "manager";
    entry.textContent = `${type} from ${source}: ${JSON.stringify(event.detail)}`;
    entry.dataset.type = type;
    log.append(entry);
  });
}

document.getElementById("unmount").addEventListener("click", () => {
  manager?.unmount();
  manager = null;
});
document.getElementById("remount").addEventListener("click", mountManager);

await mountManager();
