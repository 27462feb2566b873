/* Lentera sample SCO (SCORM 2004 4th Edition), shared by the package's SCOs: pages, progress,
   resume from cmi.location and cmi.suspend_data, an optional quiz that sets cmi.score.scaled,
   and a button that asks the LMS for the next SCO (adl.nav.request "continue").
   Written for Lentera (MIT). */
(function () {
  'use strict';

  var body = document.body;
  var PAGES = Number(body.getAttribute('data-pages'));
  var api = null;
  var state = {page: 1, answers: {}};
  var terminated = false;
  var done = false;

  // ADL's findAPI for API_1484_11: walk up the parents (at most 7 levels), then the opener.
  function findAPI(win) {
    var tries = 0;
    while (!win.API_1484_11 && win.parent && win.parent !== win) {
      tries += 1;
      if (tries > 7) { return null; }
      win = win.parent;
    }
    return win.API_1484_11 || null;
  }

  function getAPI() {
    var found = null;
    try { found = findAPI(window); } catch (error) { found = null; }
    if (!found && window.opener) {
      try { found = findAPI(window.opener); } catch (error) { found = null; }
    }
    return found;
  }

  function get(name) { return api ? String(api.GetValue(name)) : ''; }
  function set(name, value) { if (api) { api.SetValue(name, String(value)); } }
  function commit() { if (api) { api.Commit(''); } }
  function byId(id) { return document.getElementById(id); }

  function show() {
    var pages = document.querySelectorAll('section[data-page]');
    for (var i = 0; i < pages.length; i += 1) {
      pages[i].hidden = Number(pages[i].getAttribute('data-page')) !== state.page;
    }
    byId('page-number').textContent = 'Halaman ' + state.page + ' dari ' + PAGES;
    byId('back').disabled = state.page === 1;
    byId('next').hidden = state.page === PAGES;
    var onward = byId('continue');
    if (onward) { onward.hidden = state.page !== PAGES; }
    body.setAttribute('data-page', String(state.page));
  }

  function save() {
    set('cmi.location', state.page);
    set('cmi.suspend_data', JSON.stringify(state));
    set('cmi.progress_measure', (state.page / PAGES).toFixed(2));
    if (!done) {
      // The last page of a SCO without a quiz completes it; a quiz completes its SCO when checked.
      var complete = state.page === PAGES && !byId('quiz');
      set('cmi.completion_status', complete ? 'completed' : 'incomplete');
      if (complete) { done = true; }
    }
    set('cmi.exit', 'suspend');
    commit();
  }

  function go(step) {
    state.page = Math.min(PAGES, Math.max(1, state.page + step));
    show();
    save();
  }

  function check(event) {
    event.preventDefault();
    var questions = document.querySelectorAll('[data-question]');
    var correct = 0;
    for (var i = 0; i < questions.length; i += 1) {
      var name = questions[i].getAttribute('data-question');
      var chosen = questions[i].querySelector('input:checked');
      state.answers[name] = chosen ? chosen.value : '';
      if (chosen && chosen.value === questions[i].getAttribute('data-correct')) { correct += 1; }
    }
    var scaled = correct / questions.length;
    var passing = parseFloat(get('cmi.scaled_passing_score'));
    if (isNaN(passing)) { passing = 0.8; }
    done = true;
    set('cmi.score.min', 0);
    set('cmi.score.max', questions.length);
    set('cmi.score.raw', correct);
    set('cmi.score.scaled', scaled.toFixed(2));
    set('cmi.progress_measure', '1');
    set('cmi.completion_status', 'completed');
    set('cmi.success_status', scaled >= passing ? 'passed' : 'failed');
    set('cmi.suspend_data', JSON.stringify(state));
    commit();
    byId('result').textContent = 'Nilai Anda: ' + Math.round(scaled * 100)
      + (scaled >= passing ? ' (lulus)' : ' (belum lulus)');
    body.setAttribute('data-score', String(Math.round(scaled * 100)));
  }

  function terminate(request) {
    if (!api || terminated) { return; }
    terminated = true;
    if (request) {
      set('cmi.exit', 'normal');
      set('adl.nav.request', request);
    }
    commit();
    api.Terminate('');
  }

  function start() {
    api = getAPI();
    if (!api) {
      byId('status').textContent = 'LMS tidak ditemukan: kemajuan tidak disimpan.';
      show();
      return;
    }
    api.Initialize('');
    var saved = get('cmi.suspend_data');
    var location = parseInt(get('cmi.location'), 10);
    if (saved) {
      try { state = JSON.parse(saved); } catch (error) { state = {page: 1, answers: {}}; }
    }
    if (location >= 1 && location <= PAGES) { state.page = location; }
    done = get('cmi.completion_status') === 'completed';
    if (get('cmi.entry') === 'resume' || location > 1) {
      byId('status').textContent = 'Dilanjutkan dari halaman ' + state.page + '.';
      body.setAttribute('data-resumed', 'true');
    }
    var name = get('cmi.learner_name');
    if (name) { byId('learner').textContent = 'Peserta: ' + name; }
    for (var key in state.answers) {
      var input = document.querySelector('input[name="' + key + '"][value="' + state.answers[key] + '"]');
      if (input) { input.checked = true; }
    }
    show();
    save();
    body.setAttribute('data-ready', 'true');
  }

  byId('next').addEventListener('click', function () { go(1); });
  byId('back').addEventListener('click', function () { go(-1); });
  var quiz = byId('quiz');
  if (quiz) { quiz.addEventListener('submit', check); }
  var onward = byId('continue');
  if (onward) { onward.addEventListener('click', function () { terminate('continue'); }); }
  var exit = byId('exit');
  if (exit) { exit.addEventListener('click', function () { terminate('exitAll'); }); }
  window.addEventListener('pagehide', function () { terminate(null); });
  start();
})();
