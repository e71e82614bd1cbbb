// « Votre adresse » (booking.md §2.2 step 1): suggestions from the address service (`GET /adresses`,
// contracts.md §6) in the field's <datalist>, as the person types. An enhancement only: without
// JavaScript the server looks the typed text up and lists its matches; with it, a suggestion
// picked is an exact match, and the server goes straight to the next step.
for (const input of document.querySelectorAll("input[data-address-autocomplete]")) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list || !window.fetch) continue;
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 3 || text === asked) return;
    timer = setTimeout(async () => {
      asked = text;
      try {
        const response = await fetch(input.dataset.addressAutocomplete + "?q=" + encodeURIComponent(text));
        if (!response.ok) return;
        const { adresses } = await response.json();
        list.replaceChildren(...adresses.map((match) => {
          const option = document.createElement("option");
          option.value = match.label;
          return option;
        }));
      } catch {
        // The suggestions are a help: the form works without them.
      }
    }, 250);
  });
}
