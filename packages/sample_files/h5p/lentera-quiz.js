/* H5P.LenteraQuiz 1.0: a small single-choice quiz content type written for Lentera (MIT).
   It follows H5P core's content type conventions: a constructor (params, contentId, extras)
   that inherits H5P.EventDispatcher, attach($container), getScore/getMaxScore, getCurrentState
   for resuming, and xAPI "answered" and "completed" statements through triggerXAPIScored. */
var H5P = H5P || {};

H5P.LenteraQuiz = (function ($, EventDispatcher) {
  'use strict';

  function LenteraQuiz(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = $.extend({title: '', questions: [], passPercentage: 80, checkLabel: 'Periksa'}, params);
    this.contentId = contentId;
    var previous = extras && extras.previousState;
    if (typeof previous === 'string') {
      try { previous = JSON.parse(previous); } catch (error) { previous = null; }
    }
    this.answers = (previous && previous.answers) || {};
    this.checked = Boolean(previous && previous.checked);
  }

  LenteraQuiz.prototype = Object.create(EventDispatcher.prototype);
  LenteraQuiz.prototype.constructor = LenteraQuiz;

  LenteraQuiz.prototype.attach = function ($container) {
    var self = this;
    $container.addClass('h5p-lentera-quiz').empty();
    if (self.params.title) {
      $('<h2>').text(self.params.title).appendTo($container);
    }
    var $form = $('<form>').appendTo($container);
    self.params.questions.forEach(function (question, index) {
      var name = 'q' + index;
      var $fieldset = $('<fieldset>').attr('data-question', name).appendTo($form);
      $('<legend>').text((index + 1) + '. ' + question.text).appendTo($fieldset);
      question.answers.forEach(function (answer, answerIndex) {
        var $label = $('<label>').appendTo($fieldset);
        var $input = $('<input type="radio">').attr({name: name, value: String(answerIndex)})
          .prependTo($label);
        if (self.answers[name] === String(answerIndex)) { $input.prop('checked', true); }
        $label.append(document.createTextNode(' ' + answer.text));
        $input.on('change', function () {
          self.answers[name] = String(answerIndex);
          // H5P's convention for a learner's step short of an answer; the LMS keeps the state.
          self.triggerXAPI('interacted');
        });
      });
    });
    $('<button type="submit" class="h5p-lentera-quiz-check">').text(self.params.checkLabel)
      .appendTo($form);
    self.$result = $('<p class="h5p-lentera-quiz-result" role="status">').appendTo($container);
    $form.on('submit', function (event) {
      event.preventDefault();
      self.check();
    });
    if (self.checked) { self.showResult(); }
    self.trigger('resize');
  };

  LenteraQuiz.prototype.getScore = function () {
    var self = this;
    return self.params.questions.reduce(function (score, question, index) {
      var chosen = self.answers['q' + index];
      var answer = chosen === undefined ? null : question.answers[Number(chosen)];
      return score + (answer && answer.correct ? 1 : 0);
    }, 0);
  };

  LenteraQuiz.prototype.getMaxScore = function () {
    return this.params.questions.length;
  };

  LenteraQuiz.prototype.passed = function () {
    return this.getScore() * 100 >= this.params.passPercentage * this.getMaxScore();
  };

  LenteraQuiz.prototype.showResult = function () {
    this.$result.text('Skor: ' + this.getScore() + '/' + this.getMaxScore()
      + (this.passed() ? ' (lulus)' : ' (belum lulus)'));
    this.$result.attr('data-score', String(this.getScore()));
  };

  LenteraQuiz.prototype.check = function () {
    this.checked = true;
    this.showResult();
    var score = this.getScore();
    var maxScore = this.getMaxScore();
    this.triggerXAPIScored(score, maxScore, 'answered', true, this.passed());
    this.triggerXAPIScored(score, maxScore, 'completed', true, this.passed());
    this.trigger('resize');
  };

  LenteraQuiz.prototype.getCurrentState = function () {
    return {answers: this.answers, checked: this.checked};
  };

  LenteraQuiz.prototype.resetTask = function () {
    this.answers = {};
    this.checked = false;
  };

  return LenteraQuiz;
})(H5P.jQuery, H5P.EventDispatcher);
