//! Mounts the configuration manager on the page's `<main>` element.

fn main() {
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .expect("index.html has an element with id \"app\"");
    yew::Renderer::<oauth2_admin::ConfigManager>::with_root(root).render();
}
