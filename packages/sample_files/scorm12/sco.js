/* Lentera sample SCO (SCORM 1.2): three pages, the last one a three-question quiz.
   Finds the LMS's API the way ADL's reference code does, resumes from cmi.core.lesson_location
   and cmi.suspend_data, and reports the score and lesson status. Written for Lentera (MIT). */
(function () {
  'use strict';

  var PAGES = 3;
  var api = null;
  var state = {page: 1, answers: {}};
  var finished = false;
  var masteryScore = 80;

  // ADL's findAPI: walk up the parents (at most 7 levels), then try the opener.
  function findAPI(win) {
    var tries = 0;
    while (!win.API && win.parent && win.parent !== win) {
      tries += 1;
      if (tries > 7) { return null; }
      win = win.parent;
    }
    return win.API || null;
  }

  function getAPI() {
    var found = null;
    try { found = findAPI(window); } catch (error) { found = null; }
    if (!found && window.opener) {
      try { found = findAPI(window.opener); } catch (error) { found = null; }
    }
    return found;
  }

  function get(name) { return api ? String(api.LMSGetValue(name)) : ''; }
  function set(name, value) { if (api) { api.LMSSetValue(name, String(value)); } }
  function commit() { if (api) { api.LMSCommit(''); } }

  function byId(id) { return document.getElementById(id); }

  function show() {
    var pages = document.querySelectorAll('section[data-page]');
    for (var i = 0; i < pages.length; i += 1) {
      pages[i].hidden = Number(pages[i].getAttribute('data-page')) !== state.page;
    }
    byId('page-number').textContent = 'Halaman ' + state.page + ' dari ' + PAGES;
    byId('back').disabled = state.page === 1;
    byId('next').hidden = state.page === PAGES;
    document.body.setAttribute('data-page', String(state.page));
  }

  function save() {
    set('cmi.core.lesson_location', state.page);
    set('cmi.suspend_data', JSON.stringify(state));
    if (get('cmi.core.lesson_status') === 'not attempted') {
      set('cmi.core.lesson_status', 'incomplete');
    }
    set('cmi.core.exit', finished ? '' : 'suspend');
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
    var score = Math.round((correct / questions.length) * 100);
    finished = true;
    set('cmi.core.score.min', 0);
    set('cmi.core.score.max', 100);
    set('cmi.core.score.raw', score);
    set('cmi.core.lesson_status', score >= masteryScore ? 'passed' : 'failed');
    set('cmi.suspend_data', JSON.stringify(state));
    set('cmi.core.exit', '');
    commit();
    byId('result').textContent = 'Nilai Anda: ' + score + (score >= masteryScore ? ' (lulus)' : ' (belum lulus)');
    document.body.setAttribute('data-score', String(score));
  }

  function finish() {
    if (!api) { return; }
    if (!finished) { set('cmi.core.exit', 'suspend'); }
    api.LMSFinish('');
    api = null;
  }

  function start() {
    api = getAPI();
    if (!api) {
      byId('status').textContent = 'LMS tidak ditemukan: kemajuan tidak disimpan.';
      show();
      return;
    }
    api.LMSInitialize('');
    var mastery = parseFloat(get('cmi.student_data.mastery_score'));
    if (!isNaN(mastery)) { masteryScore = mastery; }
    var saved = get('cmi.suspend_data');
    var location = parseInt(get('cmi.core.lesson_location'), 10);
    if (saved) {
      try { state = JSON.parse(saved); } catch (error) { state = {page: 1, answers: {}}; }
    }
    if (location >= 1 && location <= PAGES) { state.page = location; }
    if (get('cmi.core.entry') === 'resume' || location > 1) {
      byId('status').textContent = 'Dilanjutkan dari halaman ' + state.page + '.';
      document.body.setAttribute('data-resumed', 'true');
    }
    var name = get('cmi.core.student_name');
    if (name) { byId('learner').textContent = 'Peserta: ' + name; }
    for (var key in state.answers) {
      var input = document.querySelector('input[name="' + key + '"][value="' + state.answers[key] + '"]');
      if (input) { input.checked = true; }
    }
    show();
    save();
    document.body.setAttribute('data-ready', 'true');
  }

  byId('next').addEventListener('click', function () { go(1); });
  byId('back').addEventListener('click', function () { go(-1); });
  byId('quiz').addEventListener('submit', check);
  byId('exit').addEventListener('click', finish);
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);
  start();
})();
