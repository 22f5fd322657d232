'use strict';
// The tag field of a release: the admin's autocomplete (select2) in "tags" mode, so a tag that does not
// exist yet is typed into the same field; it is sent as "neu:<name>" and created when the release is saved.
{
    // Run once the page is parsed: the admin's jQuery and select2 are loaded by then, in whatever order
    // the form's media put the scripts.
    function init(element) {
        django.jQuery(element).select2({
            tags: true,
            width: '100%',  // as wide as the other head fields (editor.css caps it)
            tokenSeparators: [','],
            createTag(params) {
                const term = (params.term || '').trim();
                return term ? {id: 'neu:' + term, text: term, newTag: true} : null;
            },
            language: {
                noResults: () => 'Keine Schlagwörter gefunden',
                searching: () => 'Suche …',
                errorLoading: () => 'Die Schlagwörter konnten nicht geladen werden.',
            },
            ajax: {
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                }),
            },
        });
    }

    document.addEventListener('DOMContentLoaded', () => {
        document.querySelectorAll('select.tag-autocomplete:not([name*=__prefix__])').forEach(init);
    });
}
