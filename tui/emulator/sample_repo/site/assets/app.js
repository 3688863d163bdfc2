document.querySelector("h1")?.setAttribute("data-loaded", new Date().toISOString());
